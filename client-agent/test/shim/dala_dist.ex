defmodule Dala.Dist do
  @moduledoc """
  A stand-in for the Dala framework's `Dala.Dist`, with its documented API
  (`ensure_started/1`, `stop/0`, `cookie_from_env/2`), so tests can run the agent as it runs
  inside a Dala app. Test support only: it lives outside the compiled paths and tests load it
  explicitly; it never ships.

  Like Dala on Android, `ensure_started/1` starts distribution in a process of its own after
  `:delay` ms and sets the given cookie as the default. Unlike Dala, the node it starts does not
  listen: the tests' EPMD is the update server's, which accepts no registrations. With
  `Application.put_env(:dala_dist_shim, :keep_running, true)`, `stop/0` leaves distribution
  running, as a development build's policy may, so tests can check that the agent still kills
  the session cookie. Every call is recorded for assertions (`calls/0`).
  """

  @doc "Starts distribution for `opts[:node]` with default cookie `opts[:cookie]` after `opts[:delay]` ms."
  @spec ensure_started(keyword) :: :ok
  def ensure_started(opts \\ []) do
    record({:ensure_started, Keyword.take(opts, [:node, :delay])})
    node = Keyword.fetch!(opts, :node)
    cookie = Keyword.fetch!(opts, :cookie)
    delay = Keyword.get(opts, :delay, 3_000)

    spawn(fn ->
      Process.sleep(delay)

      case :net_kernel.start(node, %{name_domain: :longnames, dist_listen: false}) do
        {:ok, _} -> :erlang.set_cookie(cookie)
        {:error, reason} -> record({:start_failed, reason})
      end
    end)

    :ok
  end

  @doc "Stops distribution (unless the test asked it to stay up)."
  @spec stop() :: :ok
  def stop do
    record(:stop)

    unless Application.get_env(:dala_dist_shim, :keep_running, false) do
      :net_kernel.stop()
    end

    :ok
  end

  @doc "A cookie from an environment variable, or one derived from the app's name."
  @spec cookie_from_env(String.t(), atom | String.t()) :: atom
  def cookie_from_env(env_var, app_name) do
    case System.get_env(env_var) do
      value when is_binary(value) and value != "" ->
        String.to_atom(value)

      _ ->
        :crypto.hash(:sha256, "dala:" <> to_string(app_name))
        |> Base.encode16(case: :lower)
        |> String.to_atom()
    end
  end

  @doc "The calls made so far, oldest first."
  @spec calls() :: [term]
  def calls, do: :persistent_term.get({__MODULE__, :calls}, [])

  defp record(call), do: :persistent_term.put({__MODULE__, :calls}, calls() ++ [call])
end
