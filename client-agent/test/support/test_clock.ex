defmodule DalaOta.Test.Clock do
  @moduledoc """
  A `DalaOta.Clock` tests move: the system clock plus an offset kept in `:persistent_term`,
  so a test (or an end-to-end device node) can make check-in answers look expired.
  """
  @behaviour DalaOta.Clock

  @impl true
  def now, do: :os.system_time(:second) + :persistent_term.get({__MODULE__, :offset}, 0)

  @doc "Moves the clock by `seconds` from real time."
  def set_offset(seconds), do: :persistent_term.put({__MODULE__, :offset}, seconds)
end
