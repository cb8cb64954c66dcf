defmodule DalaOta.Agent.Timers do
  @moduledoc """
  The agent's timers. Each sends the agent a message:

    * `:tick` - the next periodic check-in, `checkin_interval` seconds after the last one (the
      first after `first_checkin`), plus up to `checkin_jitter` seconds at random so that a
      fleet started at the same moment spreads its check-ins out;
    * `:survived` - a pending bundle outlived its health window, so the boot that loaded it no
      longer counts as an early crash (`DalaOta.Health`);
    * `:auto_confirm` - `confirm_after` seconds of uptime confirmed the bundle.

  Health timers count from the boot that loaded the bundle or from the moment it was
  hot-loaded, not from the agent's start, so a slow start does not stretch the window.
  """

  alias DalaOta.Agent.State

  @doc "Schedules the next check-in (`:first` after start, `:next` after a check)."
  @spec schedule_tick(State.t(), :first | :next) :: State.t()
  def schedule_tick(%State{config: nil} = state, _which), do: state

  def schedule_tick(%State{config: config} = state, which) do
    if state.tick, do: Process.cancel_timer(state.tick)
    base = if which == :first, do: config.first_checkin, else: config.checkin_interval

    jitter =
      if config.checkin_jitter > 0, do: :rand.uniform(config.checkin_jitter + 1) - 1, else: 0

    %{state | tick: Process.send_after(self(), :tick, (base + jitter) * 1000)}
  end

  @doc "Starts the health window (and `confirm_after`) of a pending bundle; nothing otherwise."
  @spec schedule_health(State.t()) :: State.t()
  def schedule_health(%State{running: %{status: :pending}, config: config} = state) do
    state = cancel_health(state)
    elapsed = elapsed_ms(state)
    health = Process.send_after(self(), :survived, max(config.health_window * 1000 - elapsed, 0))

    confirm =
      if config.confirm_after,
        do:
          Process.send_after(self(), :auto_confirm, max(config.confirm_after * 1000 - elapsed, 0)),
        else: nil

    %{state | health_timer: health, confirm_timer: confirm}
  end

  def schedule_health(state), do: state

  @doc "Cancels the health window and `confirm_after` timers."
  @spec cancel_health(State.t()) :: State.t()
  def cancel_health(state) do
    for timer <- [state.health_timer, state.confirm_timer],
        timer != nil,
        do: Process.cancel_timer(timer)

    %{state | health_timer: nil, confirm_timer: nil}
  end

  # Since the boot that loaded the bundle, or since it was hot-loaded.
  defp elapsed_ms(state) do
    case {state.pointer, state.boot} do
      {%{started_at: started}, _} when is_integer(started) ->
        max(state.config.clock.now() - started, 0) * 1000

      {_, {_, started_ms}} ->
        System.monotonic_time(:millisecond) - started_ms

      _ ->
        0
    end
  end
end
