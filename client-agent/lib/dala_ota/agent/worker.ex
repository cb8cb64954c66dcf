defmodule DalaOta.Agent.Worker do
  @moduledoc """
  The process a check (or a flush of queued reports) runs in, apart from `DalaOta.Agent`, so a
  slow network never blocks the agent and nothing a check does can crash it.

  The worker's heap is capped (`max_worker_heap_bytes`, by default derived from the caps on
  what the device reads): a peer that floods it past that is killed with the worker, and the
  agent goes on. Before a distribution session starts, the worker tells the agent the session's
  server and device nodes, so that a worker killed at its deadline leaves no live cookie.
  """

  alias DalaOta.{Config, SessionCookie, Update}
  alias DalaOta.Agent.State

  @doc "Starts a worker of `kind` (`:check` or `:flush`) with its deadline; returns the state."
  @spec start(State.t(), :check | :flush) :: State.t()
  def start(%State{} = state, kind) do
    agent = self()
    rt = runtime(state)
    heap_words = div(Config.worker_heap_bytes(state.config), :erlang.system_info(:wordsize))

    {pid, ref} =
      spawn_monitor(fn ->
        Process.flag(:max_heap_size, %{size: heap_words, kill: true, error_logger: true})

        {result, rt} =
          case kind do
            :check -> Update.run(rt)
            :flush -> {Update.flush_events(rt), rt}
          end

        send(agent, {:worker_done, self(), kind, result, rt})
      end)

    Process.send_after(self(), {:worker_deadline, ref}, state.config.check_timeout)
    %{state | worker: {pid, ref, kind}, session_nodes: nil}
  end

  defp runtime(state) do
    %{
      agent: self(),
      config: state.config,
      st: state.st,
      crypto: state.crypto,
      transport: state.transport,
      state: state.device,
      pointer: state.pointer,
      running: state.running,
      install_id: state.install_id,
      delivery: nil
    }
  end

  @doc """
  After a worker was killed or died: if it had started a session, stop the session's own
  distribution and kill its cookie. The device node must be exactly the one the worker
  announced (`dala_` and 32 lowercase hex digits), so the app's own node, whatever its name,
  is never stopped.
  """
  @spec cleanup(State.t()) :: :ok
  def cleanup(%State{config: %Config{} = config, crypto: crypto, session_nodes: {server, device}}) do
    opts = %{
      random_cookie: fn -> SessionCookie.random(crypto) end,
      start_timeout: 1000,
      device_node: device
    }

    cond do
      Node.alive?() and Node.self() == device and session_node?(device) ->
        Enum.each(Node.list([:visible, :hidden]), &:erlang.disconnect_node/1)
        config.dist.stop(server, opts)

      Node.alive?() ->
        # The session never got as far as its own node (or another runs): its cookie for the
        # server node is replaced all the same, and nothing else is touched.
        :erlang.disconnect_node(server)
        rotate(server, crypto)

      true ->
        :ok
    end

    :ok
  end

  def cleanup(_state), do: :ok

  defp rotate(server, crypto) do
    :erlang.set_cookie(server, SessionCookie.random(crypto))
  rescue
    _ -> :ok
  end

  # Whether a node name has the exact form of a session's device node.
  defp session_node?(node) when is_atom(node),
    do: Regex.match?(~r/\Adala_[0-9a-f]{32}@[A-Za-z0-9.-]+\z/, Atom.to_string(node))

  defp session_node?(_), do: false
end
