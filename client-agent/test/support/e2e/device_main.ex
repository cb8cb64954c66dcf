defmodule DalaOta.E2E.DeviceMain do
  @moduledoc """
  The program an end-to-end device node runs: the start of a host app, then a command loop.

  It does what a Dala app's `start/0` does with the agent: `DalaOta.Boot.load/1` first, then
  the app's own start (`Demo.App.start/0`, from the base or from the loaded bundle), then
  `DalaOta.Agent` under a supervisor. If the app's start raises, the node halts with status 3,
  as an app that crashes at launch. Otherwise it reads commands from stdin, one per line, each a
  Base64 ETF `{module, function, args}`, and answers `E2E REPLY <Base64 ETF result>`. End of
  input halts the node.
  """

  # The demo app's modules come from the base and the bundles the test publishes.
  @compile {:no_warn_undefined, [Demo.App]}

  def main do
    config = System.fetch_env!("E2E_DEVICE_CONFIG") |> File.read!() |> :erlang.binary_to_term()
    for {app, key, value} <- Map.get(config, :env, []), do: Application.put_env(app, key, value)
    DalaOta.E2E.RecordingCrypto.setup()
    say("BOOT", DalaOta.Boot.load(config.agent))

    case run(fn -> Demo.App.start() end) do
      {:raised, reason} ->
        say("CRASHED", reason)
        System.halt(3)

      _ ->
        {:ok, _} = Supervisor.start_link([{DalaOta.Agent, config.agent}], strategy: :one_for_one)
        say("READY", Node.self())
        loop()
    end
  end

  defp loop do
    case IO.read(:stdio, :line) do
      line when is_binary(line) ->
        {m, f, a} = line |> String.trim() |> Base.decode64!() |> :erlang.binary_to_term()
        say("REPLY", run(fn -> apply(m, f, a) end))
        loop()

      _eof ->
        System.halt(0)
    end
  end

  defp run(fun) do
    fun.()
  rescue
    e -> {:raised, Exception.message(e)}
  catch
    kind, reason -> {:raised, {kind, reason}}
  end

  defp say(tag, term), do: IO.puts("E2E #{tag} " <> Base.encode64(:erlang.term_to_binary(term)))
end
