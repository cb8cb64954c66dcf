defmodule DalaOta.Agent do
  @moduledoc """
  The update agent: a GenServer for the host app's supervision tree.

      children = [
        {DalaOta.Agent, config_file: "…/dala_ota/config.etf", data_dir: "…/dala_ota"}
      ]

  It checks in every `checkin_interval` seconds (plus up to `checkin_jitter`), and when asked
  with `check_now/1`. Each check runs in a worker process with a deadline, so a slow network
  never blocks `status/1`, and nothing a check does can crash the agent or the app. It keeps
  the health window of a pending bundle (`DalaOta.Health`), takes the app's `confirm/1`, and
  sends queued reports.

  A configuration that does not validate, or a device without trustworthy cryptography, does
  not stop the app: the agent keeps running, refuses to update, and says why in `status/1` and
  in every `check_now/1` (`{:error, {:invalid_config, problems}}`, `{:error, :no_trusted_crypto}`).
  """
  use GenServer

  alias DalaOta.{Config, CrashReport, Events, Health, Installed, Update}
  alias DalaOta.Agent.{Setup, State, Timers, Worker}

  require Logger

  @typedoc "What runs now."
  @type current :: %{
          sequence: non_neg_integer,
          label: binary | nil,
          status: :base | :pending | :confirmed
        }

  # --- public API ----------------------------------------------------------------------------

  @doc "Starts the agent. Options are `DalaOta.Config` settings, plus `:name`."
  @spec start_link(keyword) :: GenServer.on_start()
  def start_link(opts) do
    # Options that are not even a keyword list still start the agent, which then reports them.
    name = if Keyword.keyword?(opts), do: Keyword.get(opts, :name, __MODULE__), else: __MODULE__
    GenServer.start_link(__MODULE__, opts, name: name)
  end

  @doc """
  Checks in now and waits for the outcome: `{:ok, {:no_update, reason}}`,
  `{:ok, {:applied, sequence}}` (hot-loaded), `{:ok, {:staged, sequence}}` (loads at the next
  start), `{:ok, {:already_staged, sequence}}`, or `{:error, reason}`. A check already under
  way is joined rather than repeated.
  """
  @spec check_now(GenServer.server()) :: {:ok, Update.outcome()} | {:error, term}
  def check_now(server \\ __MODULE__), do: call(server, :check_now, :infinity)

  @doc """
  The agent's state: what runs, what is staged, the crypto backend, queued reports, the last
  check and its result, and any configuration or crypto problem.
  """
  @spec status(GenServer.server()) :: map | {:error, term}
  def status(server \\ __MODULE__), do: call(server, :status, 10_000)

  @doc """
  Confirms the running bundle: the app works with it. A confirmed bundle is never rolled back
  by the crash-loop rule. Returns `{:error, :nothing_to_confirm}` when the device runs its base
  or an already confirmed bundle is running.
  """
  @spec confirm(GenServer.server()) :: :ok | {:error, term}
  def confirm(server \\ __MODULE__), do: call(server, :confirm, 10_000)

  @doc "The running bundle's sequence and label, and whether it is pending or confirmed."
  @spec current(GenServer.server()) :: current | {:error, term}
  def current(server \\ __MODULE__), do: call(server, :current, 10_000)

  # The API never exits the caller: an agent that is not running or does not answer is an error.
  defp call(server, message, timeout) do
    GenServer.call(server, message, timeout)
  catch
    :exit, {:noproc, _} -> {:error, :agent_not_running}
    :exit, {:timeout, _} -> {:error, :timeout}
    :exit, reason -> {:error, {:agent_exited, reason}}
  end

  # --- callbacks -----------------------------------------------------------------------------

  @impl GenServer
  def init(opts) do
    # The real work happens in handle_continue, so that the supervisor starting the app is
    # never held up by the agent.
    {:ok, %State{}, {:continue, {:init, opts}}}
  end

  @impl GenServer
  def handle_continue({:init, opts}, _state) do
    state =
      case Setup.run(opts) do
        {:ok, state} ->
          state |> Timers.schedule_health() |> Timers.schedule_tick(:first)

        {:error, problem, partial} ->
          Logger.error("dala_ota: updates are disabled: #{inspect(problem)}")
          # The bundle that runs is judged by whether the app works with it, not by whether
          # this device can update: its health window and confirm_after run all the same.
          %{partial | problem: problem}
          |> Timers.schedule_health()
          |> Timers.schedule_tick(:first)
      end

    {:noreply, state}
  end

  @impl GenServer
  def handle_call(:check_now, _from, %State{problem: problem} = state) when problem != nil do
    {:reply, {:error, problem}, state}
  end

  def handle_call(:check_now, from, %State{worker: nil} = state) do
    {:noreply, start_worker(%{state | waiting: [from]}, :check)}
  end

  def handle_call(:check_now, from, state) do
    # A check under way is joined; a flush under way is followed by a check (`after_worker/4`).
    {:noreply, %{state | waiting: [from | state.waiting]}}
  end

  def handle_call(:status, _from, state), do: {:reply, State.status(state), state}

  def handle_call(:current, _from, state) do
    {:reply, Map.take(state.running, [:sequence, :label, :status]), state}
  end

  def handle_call(:confirm, _from, %State{worker: nil} = state) do
    {reply, state} = do_confirm(state, state.running.sequence)
    {:reply, reply, state}
  end

  def handle_call(:confirm, _from, state) do
    # A check may be replacing the pointer right now; confirm what runs now once it is done.
    if confirmable?(state) do
      {:reply, :ok, %{state | deferred_confirm: state.running.sequence}}
    else
      {:reply, {:error, :nothing_to_confirm}, state}
    end
  end

  @impl GenServer
  def handle_info(:tick, state) do
    state = %{state | tick: nil}

    state =
      cond do
        state.worker != nil -> state
        state.st == nil -> state
        state.problem != nil and state.transport != nil -> start_worker(state, :flush)
        state.problem != nil -> state
        true -> start_worker(state, :check)
      end

    {:noreply, Timers.schedule_tick(state, :next)}
  end

  def handle_info({:worker_done, pid, kind, result, rt}, %State{worker: {pid, ref, kind}} = state) do
    Process.demonitor(ref, [:flush])
    state = %{state | worker: nil, device: rt.state, pointer: rt.pointer, running: rt.running}
    {:noreply, after_worker(state, kind, result, rt.delivery)}
  end

  def handle_info({:DOWN, ref, :process, _pid, reason}, %State{worker: {_, ref, kind}} = state) do
    # The reason can hold a stack trace whose arguments include secrets: only its shape is told.
    why = CrashReport.describe(:exit, reason)
    Logger.error("dala_ota: the #{kind} worker died: #{why}")
    Worker.cleanup(state)
    state = %{state | worker: nil, session_nodes: nil}
    {:noreply, after_worker(state, kind, {:error, {:worker_crashed, why}})}
  end

  def handle_info({:worker_deadline, ref}, %State{worker: {pid, ref, kind}} = state) do
    Process.exit(pid, :kill)
    Process.demonitor(ref, [:flush])
    Worker.cleanup(state)
    state = %{state | worker: nil, session_nodes: nil}
    {:noreply, after_worker(state, kind, {:error, :check_timeout})}
  end

  def handle_info({:session_nodes, pid, server, device}, %State{worker: {pid, _, _}} = state) do
    {:noreply, %{state | session_nodes: {server, device}}}
  end

  def handle_info(:survived, %State{worker: nil} = state) do
    {:noreply, mark_survived(%{state | health_timer: nil}, state.running.sequence)}
  end

  def handle_info(:survived, state) do
    # A check may be replacing the pointer right now; the window ended for what runs now, and
    # is recorded for it once the check is done.
    {:noreply, %{state | health_timer: nil, deferred_survived: state.running.sequence}}
  end

  def handle_info(:auto_confirm, state) do
    state = %{state | confirm_timer: nil}

    if state.worker == nil do
      {_reply, state} = do_confirm(state, state.running.sequence)
      {:noreply, state}
    else
      {:noreply, %{state | deferred_confirm: state.running.sequence}}
    end
  end

  def handle_info(_message, state), do: {:noreply, state}

  # --- workers -------------------------------------------------------------------------------

  defp start_worker(state, kind), do: Worker.start(state, kind)

  defp after_worker(state, kind, result, delivery \\ nil) do
    state =
      if kind == :check,
        do: %{state | last_check: %{at: now(state), result: result, delivery: delivery}},
        else: state

    waiting = state.waiting
    state = %{state | waiting: []}

    state =
      cond do
        kind == :check ->
          Enum.each(waiting, &GenServer.reply(&1, result))
          state

        waiting != [] ->
          # Callers joined a flush; give them a real check now.
          start_worker(%{state | waiting: waiting}, :check)

        true ->
          state
      end

    state =
      case state.deferred_survived do
        nil -> state
        seq -> mark_survived(%{state | deferred_survived: nil}, seq)
      end

    state =
      case state.deferred_confirm do
        nil ->
          state

        seq ->
          {_reply, state} = do_confirm(%{state | deferred_confirm: nil}, seq)
          state
      end

    if match?({:ok, {:applied, _}}, result), do: Timers.schedule_health(state), else: state
  end

  # --- confirm and health --------------------------------------------------------------------

  defp confirmable?(state), do: state.running.status == :pending

  # The health window of the bundle `seq` ended while it ran. Only the bundle that still runs
  # and is still pending is marked; one replaced meanwhile has a window of its own.
  defp mark_survived(state, seq) do
    case state.pointer do
      %{status: :pending, sequence: ^seq} = pointer when seq == state.running.sequence ->
        survived = Health.survived(pointer)

        # A store that cannot be written (a full disk) must not take the agent down; the boot
        # then counts as an early death, which errs on the side of reverting.
        case Installed.put_pointer(state.st, survived) do
          :ok ->
            %{state | pointer: survived}

          {:error, reason} ->
            Logger.error("dala_ota: cannot record the health window: #{inspect(reason)}")
            state
        end

      _ ->
        state
    end
  end

  defp do_confirm(state, seq) do
    case state.pointer do
      %{status: :pending, sequence: ^seq} = pointer when seq == state.running.sequence ->
        confirm_running(state, seq, Health.confirmed(pointer), [seq, previous_seq(pointer)])

      # A bundle is staged for the next start while the pending one runs: the running one is
      # confirmed in the pointer's `previous`, so a revert of the staged one comes back to it
      # confirmed, and both stay installed.
      %{sequence: staged, previous: %{sequence: ^seq, status: :pending} = previous} = pointer
      when seq == state.running.sequence and staged != seq ->
        confirmed = %{pointer | previous: %{previous | status: :confirmed}}
        confirm_running(state, seq, confirmed, [staged, seq])

      _ ->
        {{:error, :nothing_to_confirm}, state}
    end
  end

  defp previous_seq(pointer), do: pointer.previous && pointer.previous.sequence

  defp confirm_running(state, seq, confirmed, keep) do
    case Installed.put_pointer(state.st, confirmed) do
      :ok ->
        Events.record(state.st, state.config, :confirmed, seq)

        Installed.prune(state.st, Enum.filter(keep, & &1))

        state =
          Timers.cancel_health(%{
            state
            | pointer: confirmed,
              running: %{state.running | status: :confirmed}
          })

        state =
          if state.worker == nil and state.problem == nil,
            do: start_worker(state, :flush),
            else: state

        {:ok, state}

      {:error, reason} ->
        {{:error, {:store, reason}}, state}
    end
  end

  defp now(%State{config: %Config{clock: clock}}), do: clock.now()
  defp now(_), do: :os.system_time(:second)
end
