defmodule DalaOta.Agent.State do
  @moduledoc """
  The agent's state: its configuration (or the problem that disables updates), the crypto
  backend and transport it chose, the store, what the device remembers, the `current` pointer
  and what runs, the check under way and its waiting callers, and its timers.
  """

  alias DalaOta.Events

  defstruct config: nil,
            problem: nil,
            crypto: nil,
            transport: nil,
            st: nil,
            device: nil,
            pointer: nil,
            running: %{sequence: 0, label: nil, status: :base},
            install_id: nil,
            boot: nil,
            worker: nil,
            waiting: [],
            deferred_confirm: nil,
            deferred_survived: nil,
            session_nodes: nil,
            last_check: nil,
            tick: nil,
            health_timer: nil,
            confirm_timer: nil

  @type t :: %__MODULE__{}

  @doc "What `DalaOta.Agent.status/1` answers."
  @spec status(t) :: map
  def status(%__MODULE__{} = state) do
    staged =
      case state.pointer do
        %{sequence: seq} = p when seq != state.running.sequence ->
          %{sequence: seq, label: p.label, status: p.status}

        _ ->
          nil
      end

    %{
      running: state.running,
      staged: staged,
      problem: state.problem,
      crypto: state.crypto,
      transport: state.transport,
      install_id: state.install_id,
      server_url: state.config && state.config.server_url,
      checking: state.worker != nil,
      last_check: state.last_check,
      queued_events: if(state.st, do: Events.count(state.st), else: 0),
      last_rollback: state.device && state.device.last_rollback,
      boot: state.boot && elem(state.boot, 0)
    }
  end
end
