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

  alias DalaOta.{Config, Events, Health, Installed, Update}
  alias DalaOta.Agent.{Setup, State, Timers}

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
          %{partial | problem: problem} |> Timers.schedule_tick(:first)
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

  def handle_call(:check_now, from, %State{worker: {_, _, :check}} = state) do
    {:noreply, %{state | waiting: [from | state.waiting]}}
  end

  def handle_call(:check_now, from, state) do
    # A flush is running; the check follows it.
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
    Logger.error("dala_ota: the #{kind} worker died: #{inspect(reason)}")
    cleanup_distribution(state)
    {:noreply, after_worker(%{state | worker: nil}, kind, {:error, {:worker_crashed, reason}})}
  end

  def handle_info({:worker_deadline, ref}, %State{worker: {pid, ref, kind}} = state) do
    Process.exit(pid, :kill)
    Process.demonitor(ref, [:flush])
    cleanup_distribution(state)
    {:noreply, after_worker(%{state | worker: nil}, kind, {:error, :check_timeout})}
  end

  def handle_info(:survived, state) do
    state = %{state | health_timer: nil}

    case state.pointer do
      %{status: :pending, sequence: seq} = pointer
      when seq == state.running.sequence and state.worker == nil ->
        survived = Health.survived(pointer)

        # A store that cannot be written (a full disk) must not take the agent down; the boot
        # then counts as an early death, which errs on the side of reverting.
        case Installed.put_pointer(state.st, survived) do
          :ok ->
            {:noreply, %{state | pointer: survived}}

          {:error, reason} ->
            Logger.error("dala_ota: cannot record the health window: #{inspect(reason)}")
            {:noreply, state}
        end

      _ ->
        {:noreply, state}
    end
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

  defp start_worker(state, kind) do
    agent = self()
    rt = runtime(state)

    {pid, ref} =
      spawn_monitor(fn ->
        {result, rt} =
          case kind do
            :check -> Update.run(rt)
            :flush -> {Update.flush_events(rt), rt}
          end

        send(agent, {:worker_done, self(), kind, result, rt})
      end)

    Process.send_after(self(), {:worker_deadline, ref}, state.config.check_timeout)
    %{state | worker: {pid, ref, kind}}
  end

  defp runtime(state) do
    %{
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
      case state.deferred_confirm do
        nil ->
          state

        seq ->
          {_reply, state} = do_confirm(%{state | deferred_confirm: nil}, seq)
          state
      end

    if match?({:ok, {:applied, _}}, result), do: Timers.schedule_health(state), else: state
  end

  # A worker killed at its deadline may have left the session's distribution running.
  defp cleanup_distribution(%State{config: %Config{} = config, crypto: crypto}) do
    if Node.alive?() and String.starts_with?(Atom.to_string(Node.self()), "dala_") do
      Enum.each(Node.list([:visible, :hidden]), &:erlang.disconnect_node/1)

      config.dist.stop(:"nobody@nowhere.invalid", %{
        random_cookie: fn -> Setup.random_cookie(crypto) end,
        start_timeout: 1000
      })
    end

    :ok
  end

  defp cleanup_distribution(_), do: :ok

  # --- confirm and health --------------------------------------------------------------------

  defp confirmable?(state), do: state.running.status == :pending

  defp do_confirm(state, seq) do
    case state.pointer do
      %{status: :pending, sequence: ^seq} = pointer when seq == state.running.sequence ->
        confirmed = Health.confirmed(pointer)

        case Installed.put_pointer(state.st, confirmed) do
          :ok ->
            Events.enqueue(
              state.st,
              %{kind: :confirmed, sequence: seq, reason: nil, bytes: nil, at: now(state)},
              state.config.max_queued_events
            )

            Installed.prune(
              state.st,
              Enum.filter([seq, pointer.previous && pointer.previous.sequence], & &1)
            )

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

      _ ->
        {{:error, :nothing_to_confirm}, state}
    end
  end

  defp now(%State{config: %Config{clock: clock}}), do: clock.now()
  defp now(_), do: :os.system_time(:second)
end
