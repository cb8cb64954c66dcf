defmodule DalaOta.Clock.System do
  @moduledoc "The operating system's wall clock."
  @behaviour DalaOta.Clock

  @impl true
  def now, do: :os.system_time(:second)
end
