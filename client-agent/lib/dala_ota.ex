defmodule DalaOta do
  @moduledoc """
  dala-ota's in-app update agent. Add `DalaOta.Agent` to the app's supervision tree, call
  `DalaOta.Boot.load/1` first in its start, and confirm a new bundle once the app works:

      DalaOta.confirm()

  These functions talk to the agent registered under its default name; `DalaOta.Agent` has
  the same calls with an explicit server. See docs/agent.md.
  """

  @version Mix.Project.config()[:version]

  @doc "The agent's version, as it reports it at check-in."
  @spec version() :: binary
  def version, do: @version

  @doc "Confirms the running bundle: it works, and must never be rolled back on its own."
  @spec confirm() :: :ok | {:error, term}
  defdelegate confirm(), to: DalaOta.Agent

  @doc "Checks in now. See `DalaOta.Agent.check_now/1`."
  @spec check_now() :: {:ok, DalaOta.Update.outcome()} | {:error, term}
  defdelegate check_now(), to: DalaOta.Agent

  @doc "What runs now: sequence, label and whether it is pending or confirmed."
  @spec current() :: DalaOta.Agent.current() | {:error, term}
  defdelegate current(), to: DalaOta.Agent

  @doc "The agent's status. See `DalaOta.Agent.status/1`."
  @spec status() :: map | {:error, term}
  defdelegate status(), to: DalaOta.Agent
end
