# Tests that need native/'s NIF find dala_ota_crypto.beam in native/ebin and the NIF in
# native/priv beside it (client-agent/run-tests builds both). Without them those tests are
# excluded, with the reason printed.
native = DalaOta.Test.Paths.native_ebin()
if File.dir?(native), do: Code.prepend_path(native)

excluded = [:e2e]

excluded =
  cond do
    DalaOta.Crypto.Nif.available?() ->
      excluded

    System.get_env("DALA_OTA_REQUIRE_NIF") == "1" ->
      raise "dala_ota_crypto is required (DALA_OTA_REQUIRE_NIF=1) but does not load from #{native}"

    true ->
      IO.puts(
        "NOTE: tests tagged :nif are skipped: dala_ota_crypto is not built (run `make -C native`)."
      )

      [:nif | excluded]
  end

# A device build may lack inets and ssl (Dala's iOS build has neither); where this OTP lacks
# them too, the :httpc tests cannot run and the TCP client's tests stand alone.
excluded =
  if match?(:ok, Application.load(:inets)) or
       match?({:error, {:already_loaded, _}}, Application.load(:inets)) do
    excluded
  else
    IO.puts(
      "NOTE: tests tagged :httpc are skipped: this OTP has no inets (the TCP client is tested instead)."
    )

    [:httpc | excluded]
  end

# The one server end-to-end tests share stops after the last of them.
ExUnit.after_suite(fn _ -> DalaOta.E2E.Stack.stop() end)

ExUnit.configure(exclude: excluded)
ExUnit.start(capture_log: true)
