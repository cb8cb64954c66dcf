defmodule DalaOta.E2E.Runtime do
  @moduledoc """
  A real OTP runtime that end-to-end device nodes run in: the host's OTP 25, or OTP 29 in the
  Debian sid root named by `OTA_OTP29_ROOT`. Device nodes run the agent compiled by *their*
  runtime's Elixir; for OTP 29 it is compiled inside the root on first use (or taken from
  `DALA_OTA_OTP29_BUILD`, a copy run-tests already compiled there), with native/'s NIF built
  against OTP 29's headers.

  Files a device needs live in a work folder both sides see; `inside/2` names a host path as
  the runtime sees it.
  """

  alias DalaOta.Test.Paths

  defstruct [
    :name,
    :otp_release,
    :chroot,
    :agent_ebin,
    :agent_source,
    :native_ebin,
    :work,
    :transport,
    :own_build
  ]

  @doc "The host's OTP: the agent is this test VM's own build."
  def otp25 do
    work = Path.join(System.tmp_dir!(), "dala-ota-e2e-#{System.unique_integer([:positive])}")
    File.mkdir_p!(work)

    %__MODULE__{
      name: :otp25,
      otp_release: List.to_string(:erlang.system_info(:otp_release)),
      agent_ebin: DalaOta.Agent |> :code.which() |> to_string() |> Path.dirname(),
      agent_source: Paths.project(),
      native_ebin: Paths.native_ebin(),
      work: work,
      # inets and ssl exist here: the :httpc transport is exercised end to end.
      transport: DalaOta.Transport.Httpc
    }
  end

  @doc "OTP 29 in the sid root, or nil when `OTA_OTP29_ROOT` is unset."
  def otp29 do
    case System.get_env("OTA_OTP29_ROOT") do
      nil ->
        nil

      "" ->
        nil

      root ->
        given = System.get_env("DALA_OTA_OTP29_BUILD") |> then(&if(&1 == "", do: nil, else: &1))
        build = given || build_otp29(root)
        work = Path.join([root, "tmp", "dala-ota-e2e-#{System.unique_integer([:positive])}"])
        File.mkdir_p!(work)

        %__MODULE__{
          name: :otp29,
          otp_release: "29",
          chroot: root,
          agent_ebin:
            inside_root(root, Path.join(build, "client-agent/_build/test/lib/dala_ota/ebin")),
          agent_source: inside_root(root, Path.join(build, "client-agent")),
          native_ebin: inside_root(root, Path.join(build, "native/ebin")),
          work: work,
          # As on Dala's iOS build, which has neither inets nor ssl: the TCP client end to end
          # here, :httpc on OTP 25.
          transport: DalaOta.Transport.Tcp,
          own_build: if(given, do: nil, else: build)
        }
    end
  end

  @doc "A host path as the runtime sees it."
  def inside(%__MODULE__{chroot: nil}, path), do: path
  def inside(%__MODULE__{chroot: root}, path), do: inside_root(root, path)

  @doc "Runs a shell command in the runtime."
  def sh(%__MODULE__{} = rt, command, env \\ []) do
    {exe, args} = argv(rt, command, env)
    System.cmd(exe, args, stderr_to_stdout: true)
  end

  @doc "The executable and arguments that run `command` in the runtime."
  def argv(%__MODULE__{chroot: nil}, command, env) do
    {"/bin/sh", ["-c", "exec env #{env_args(env)} sh -c #{shell_quote(command)}"]}
  end

  # Inside the root, a clean environment: nothing of the host's (paths, MIX_*, OTA_*) leaks in.
  def argv(%__MODULE__{chroot: root}, command, env) do
    {System.find_executable("chroot") || "/usr/sbin/chroot",
     [root, "/usr/bin/env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"] ++
       Enum.map(env, fn {k, v} -> "#{k}=#{v}" end) ++ ["/bin/sh", "-c", command]}
  end

  @doc "Removes the runtime's work folder, and the agent build it made itself."
  def cleanup(%__MODULE__{work: work, own_build: build}) do
    File.rm_rf(work)
    if build, do: File.rm_rf(build)
    :ok
  end

  defp build_otp29(root) do
    build = Path.join([root, "tmp", "dala-ota-e2e-build-#{System.unique_integer([:positive])}"])

    try do
      compile_otp29(root, build)
    rescue
      e ->
        File.rm_rf(build)
        reraise e, __STACKTRACE__
    end
  end

  defp compile_otp29(root, build) do
    so = Path.join(Paths.root(), "native/build/otp29/dala_ota_crypto.so")

    File.exists?(so) or
      raise "#{so} is missing: run make -C native build/otp29/dala_ota_crypto.so"

    agent = Path.join(build, "client-agent")
    File.mkdir_p!(agent)

    for item <- ["lib", "test/support", "test/shim", "mix.exs"] do
      source = Path.join(Paths.project(), item)
      target = Path.join(agent, item)
      # Elixir 1.14's cp_r wants the target folder to exist.
      File.mkdir_p!(if File.dir?(source), do: target, else: Path.dirname(target))
      File.cp_r!(source, target)
    end

    File.mkdir_p!(Path.join(build, "native/ebin"))
    File.mkdir_p!(Path.join(build, "native/priv"))
    File.cp!(so, Path.join(build, "native/priv/dala_ota_crypto.so"))

    File.cp!(
      Path.join(Paths.root(), "native/src/dala_ota_crypto.erl"),
      Path.join(build, "native/dala_ota_crypto.erl")
    )

    rt = %__MODULE__{chroot: root}
    inside = inside_root(root, build)

    {out, status} =
      sh(
        rt,
        "cd #{inside} && erlc -o native/ebin native/dala_ota_crypto.erl && cd client-agent && MIX_ENV=test mix compile",
        [{"HOME", inside}]
      )

    status == 0 or raise "building the agent for OTP 29 failed:\n#{out}"
    build
  end

  defp inside_root(root, path) do
    root = Path.expand(root)
    path = Path.expand(path)
    String.starts_with?(path, root <> "/") or raise "#{path} is outside #{root}"
    "/" <> Path.relative_to(path, root)
  end

  defp env_args(env), do: Enum.map_join(env, " ", fn {k, v} -> "#{k}=#{shell_quote(v)}" end)
  defp shell_quote(text), do: "'" <> String.replace(text, "'", "'\\''") <> "'"
end
