defmodule DalaOta.Health do
  @moduledoc """
  The crash-loop rule for a *pending* bundle (one the app has not confirmed yet), decided at
  each boot before the bundle loads:

    * it is reverted when the app died within `health_window` seconds of starting it
      `max_early_crashes` times (a launch crash loop), or
    * when it has been booted `max_boots` times without the app confirming it.

  A boot "died early" when the agent did not get to mark it as having survived the health
  window. A confirmed bundle is never reverted by these rules. The reason travels with the
  `rolled_back` report at the next check-in.
  """

  alias DalaOta.Installed

  @type limits :: %{
          max_boots: pos_integer,
          max_early_crashes: pos_integer,
          health_window: pos_integer
        }
  @type reason :: {:early_crashes, pos_integer, pos_integer} | {:not_confirmed, pos_integer}

  @doc "Whether to boot the pointer's bundle (and with which counters) or revert it, and why."
  @spec at_boot(Installed.pointer(), limits, integer) ::
          {:boot, Installed.pointer()} | {:revert, reason}
  def at_boot(%{status: :confirmed} = pointer, _limits, _now), do: {:boot, pointer}

  def at_boot(%{status: :pending} = pointer, limits, now) do
    # The last run of this bundle never reached the end of its health window.
    died_early = pointer.started_at != nil and not pointer.survived
    early = pointer.early_crashes + if(died_early, do: 1, else: 0)

    cond do
      early >= limits.max_early_crashes ->
        {:revert, {:early_crashes, early, limits.health_window}}

      pointer.boots >= limits.max_boots ->
        {:revert, {:not_confirmed, pointer.boots}}

      true ->
        {:boot,
         %{
           pointer
           | boots: pointer.boots + 1,
             early_crashes: early,
             started_at: now,
             survived: false
         }}
    end
  end

  @doc "The pointer once the running bundle outlived its health window."
  @spec survived(Installed.pointer()) :: Installed.pointer()
  def survived(%{status: :pending} = pointer), do: %{pointer | survived: true}
  def survived(pointer), do: pointer

  @doc "The pointer once the app confirmed its bundle."
  @spec confirmed(Installed.pointer()) :: Installed.pointer()
  def confirmed(pointer), do: %{pointer | status: :confirmed, survived: true}
end
