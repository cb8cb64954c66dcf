defmodule DalaOta.MixProject do
  use Mix.Project

  # OTP applications the agent uses only when a device build ships them (Dala's iOS build has
  # neither inets nor ssl, and its crypto is a stub). They must stay out of the .app file's
  # dependencies, so the compiler is told not to warn about calls into them.
  @optional_modules [:crypto, :httpc, :inets, :ssl, :public_key, :dala_ota_crypto]

  def project do
    [
      app: :dala_ota,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: false,
      deps: [],
      elixirc_paths: elixirc_paths(Mix.env()),
      test_paths: ["test"],
      # The Dala.Dist shim is loaded by the tests that need it, never compiled with the project.
      test_ignore_filters: ["test/shim/dala_dist.ex"]
    ] ++ optional_module_warnings()
  end

  def application do
    [extra_applications: [:logger | optional_applications()]]
  end

  # Elixir 1.15+ can say what the comment above means: start crypto, inets, ssl and public_key
  # when the device has them, and run without them otherwise (`optional_applications` in the
  # .app file). It also keeps them on the code path that Mix 1.15+ prunes to the declared
  # applications, so `:httpc` works where the OTP build ships it. Elixir 1.14 prunes nothing.
  defp optional_applications do
    if Version.match?(System.version(), ">= 1.15.0"),
      do: [crypto: :optional, inets: :optional, ssl: :optional, public_key: :optional],
      else: []
  end

  defp elixirc_paths(:test), do: ["lib", "test/support"]
  defp elixirc_paths(_), do: ["lib"]

  # Elixir 1.15 moved this setting from xref to the compiler options, and later releases
  # deprecate the old key.
  defp optional_module_warnings do
    if Version.match?(System.version(), "< 1.15.0") do
      [xref: [exclude: @optional_modules]]
    else
      [elixirc_options: [no_warn_undefined: @optional_modules]]
    end
  end
end
