defmodule DalaOta.E2E.Device do
  @moduledoc """
  One end-to-end device: a real BEAM node, as an OS process of the chosen runtime, running
  `DalaOta.E2E.DeviceMain` over the demo app's base modules and the agent. The node is not
  distributed and nothing can reach it but its stdin: the test drives it with `call/4`. It
  reaches the server's EPMD through `-epmd_port`, as a phone would reach port 4369.

  Every device's output is kept, and printed when the test that ran it fails.
  """

  alias DalaOta.E2E.Runtime

  defstruct [:port, :os_pid, :runtime, :name, :output]

  @boot_timeout 90_000

  @type boot :: {:ready, %__MODULE__{}, term} | {:crashed, non_neg_integer, term}

  @doc """
  Boots a device. `opts`: `:name`, `:agent` (agent options, host paths for `data_dir`),
  `:epmd_port`, `:paths` (extra code paths, host paths, first on the path), `:env` (OS
  environment), `:app_env` ({app, key, value} settings applied before anything starts).
  """
  @spec boot(Runtime.t(), keyword) :: boot
  def boot(%Runtime{} = rt, opts) do
    name = Keyword.fetch!(opts, :name)
    dir = Path.join(rt.work, name)
    File.mkdir_p!(dir)
    agent = Keyword.update!(Keyword.fetch!(opts, :agent), :data_dir, &Runtime.inside(rt, &1))
    config = Path.join(dir, "config-#{System.unique_integer([:positive])}.etf")

    File.write!(
      config,
      :erlang.term_to_binary(%{agent: agent, env: Keyword.get(opts, :app_env, [])})
    )

    paths =
      Enum.map(Keyword.get(opts, :paths, []), &Runtime.inside(rt, &1)) ++
        [rt.agent_ebin, rt.native_ebin]

    pa = Enum.map_join(paths, " ", &"-pa #{&1}")

    command =
      "cd #{Runtime.inside(rt, dir)} && exec elixir --erl '-epmd_port #{Keyword.fetch!(opts, :epmd_port)}' #{pa} " <>
        "-e 'DalaOta.E2E.DeviceMain.main()'"

    env =
      [{"HOME", Runtime.inside(rt, dir)}, {"E2E_DEVICE_CONFIG", Runtime.inside(rt, config)}] ++
        Keyword.get(opts, :env, [])

    {exe, args} = Runtime.argv(rt, command, env)

    port =
      Port.open({:spawn_executable, exe}, [
        :binary,
        :exit_status,
        :stderr_to_stdout,
        {:line, 1_048_576},
        args: args
      ])

    {:os_pid, os_pid} = Port.info(port, :os_pid)
    device = %__MODULE__{port: port, os_pid: os_pid, runtime: rt, name: name, output: []}
    await_boot(device, nil)
  end

  @doc "Applies `m.f(a)` on the device and returns the result."
  def call(%__MODULE__{port: port} = device, m, f, a, timeout \\ 120_000) do
    Port.command(port, Base.encode64(:erlang.term_to_binary({m, f, a})) <> "\n")

    case await(device, "REPLY", timeout) do
      {:ok, result, _} ->
        result

      {:exit, status, output} ->
        raise "device #{device.name} exited (#{status}) during #{inspect({m, f})}:\n#{Enum.join(output, "\n")}"
    end
  end

  @doc "Stops the device: end of input, and a kill if it does not go."
  def stop(%__MODULE__{port: port, os_pid: os_pid}) do
    if Port.info(port) != nil do
      Port.close(port)
      System.cmd("sh", ["-c", "sleep 2; kill -9 #{os_pid} 2>/dev/null || true"])
    end

    :ok
  end

  defp await_boot(device, boot) do
    receive do
      {port, {:data, {:eol, "E2E BOOT " <> b64}}} when port == device.port ->
        await_boot(device, decode(b64))

      {port, {:data, {:eol, "E2E READY " <> _}}} when port == device.port ->
        {:ready, device, boot}

      {port, {:data, {:eol, "E2E CRASHED " <> b64}}} when port == device.port ->
        status = receive(do: ({^port, {:exit_status, s}} -> s), after: (30_000 -> :no_exit))
        {:crashed, status, decode(b64)}

      {port, {:data, {_, line}}} when port == device.port ->
        note(device.name, line)
        await_boot(device, boot)

      {port, {:exit_status, status}} when port == device.port ->
        raise "device #{device.name} exited (#{status}) while booting:\n#{Enum.join(notes(device.name), "\n")}"
    after
      @boot_timeout ->
        raise "device #{device.name} did not boot:\n#{Enum.join(notes(device.name), "\n")}"
    end
  end

  defp await(device, tag, timeout) do
    prefix = "E2E #{tag} "

    receive do
      {port, {:data, {:eol, prefix_line}}} when port == device.port ->
        if String.starts_with?(prefix_line, prefix) do
          {:ok, decode(String.replace_prefix(prefix_line, prefix, "")), []}
        else
          note(device.name, prefix_line)
          await(device, tag, timeout)
        end

      {port, {:data, {:noeol, line}}} when port == device.port ->
        note(device.name, line)
        await(device, tag, timeout)

      {port, {:exit_status, status}} when port == device.port ->
        {:exit, status, notes(device.name)}
    after
      timeout ->
        raise "device #{device.name} did not answer in #{timeout} ms:\n#{Enum.join(notes(device.name), "\n")}"
    end
  end

  defp decode(b64), do: b64 |> Base.decode64!() |> :erlang.binary_to_term()

  # The device's own log lines, kept per device for failure reports.
  defp note(name, line),
    do:
      Process.put(
        {__MODULE__, name},
        [line | Process.get({__MODULE__, name}, [])] |> Enum.take(300)
      )

  @doc "The last log lines a device printed."
  def notes(name), do: Process.get({__MODULE__, name}, []) |> Enum.reverse()
end
