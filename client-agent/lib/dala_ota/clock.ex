defmodule DalaOta.Clock do
  @moduledoc """
  The device's wall clock, as a behaviour, so tests can run the agent at any instant (an
  expired check-in answer, a manifest from the future) without waiting.
  `DalaOta.Clock.System` is the operating system's clock.
  """

  @doc "Unix time in seconds."
  @callback now() :: integer
end
