defmodule DalaOta.Distribution.Beam do
  @moduledoc """
  Distribution on the running BEAM.

  When the Dala framework is loaded it is started through `Dala.Dist.ensure_started/1` and
  stopped through `Dala.Dist.stop/0`, so Dala keeps its own bookkeeping (Android's delayed
  start, its EPMD handling). Otherwise `:net_kernel.start/2` starts a node that is *hidden* and
  *not listening* (`dist_listen: false`, longnames): it opens no port, registers nothing with
  EPMD, and nobody can connect to it; it only connects out. Not registering with EPMD also
  keeps it clear of erlang/otp#11083, where a quick stop and start races EPMD's handling of the
  old registration. Dala starts a listening node; its default cookie is a fresh random one.

  Distribution that was already running before the session (a development build, or iOS where
  Dala starts it at launch under a fixed name) is never taken over or stopped: `start/2` refuses
  with `{:error, {:distribution_running, node}}` and the agent downloads over HTTP instead.
  """
  @behaviour DalaOta.Distribution

  @compile {:no_warn_undefined, Dala.Dist}

  @doc "Whether the Dala framework's `Dala.Dist` is present."
  @spec dala?() :: boolean
  def dala? do
    Code.ensure_loaded?(Dala.Dist) and function_exported?(Dala.Dist, :ensure_started, 1) and
      function_exported?(Dala.Dist, :stop, 0)
  end

  @impl true
  def start(node, opts) do
    cond do
      Node.alive?() and Node.self() == node ->
        fresh_default_cookie(opts)

      Node.alive?() ->
        {:error, {:distribution_running, Node.self()}}

      dala?() ->
        start_with_dala(node, opts)

      true ->
        start_net_kernel(node, opts)
    end
  end

  @impl true
  def connect(server, cookie, opts) do
    # set_cookie raises (with the cookie among its arguments) if distribution dropped since
    # the check; the guard keeps the cookie out of any crash report.
    with true <- Node.alive?(),
         true <- guarded(fn -> :erlang.set_cookie(server, cookie) end) do
      # connect_node/1 waits up to net_setuptime (7 s by default) per attempt; the agent's own
      # timeout bounds it, and a late connection is dropped again by stop/2.
      task = Task.async(fn -> :net_kernel.connect_node(server) end)

      case Task.yield(task, Map.get(opts, :connect_timeout, 15_000)) ||
             Task.shutdown(task, :brutal_kill) do
        {:ok, true} -> :ok
        {:ok, false} -> {:error, :connect_refused}
        {:ok, :ignored} -> {:error, :not_alive}
        nil -> {:error, :connect_timeout}
      end
    else
      _ -> {:error, :not_alive}
    end
  end

  @impl true
  def stop(server, opts) do
    # With `device_node` given, only that node is this session's: distribution the app runs
    # under another name is neither stopped nor given a new default cookie.
    ours = Map.get(opts, :device_node) in [nil, Node.self()]

    if Node.alive?() and ours do
      :erlang.disconnect_node(server)

      if dala?() do
        guarded(fn -> Dala.Dist.stop() end)
      else
        guarded(fn -> :net_kernel.stop() end)
      end
    end

    # Where distribution stays up (a development build's policy), nothing of the session may
    # stay usable: the server node's cookie and the default cookie are both replaced.
    if Node.alive?() do
      guarded(fn -> :erlang.set_cookie(server, opts.random_cookie.()) end)
      if ours, do: guarded(fn -> :erlang.set_cookie(opts.random_cookie.()) end)
    end

    :ok
  end

  defp start_with_dala(node, opts) do
    case guarded(fn ->
           Dala.Dist.ensure_started(node: node, cookie: opts.random_cookie.(), delay: 0)
         end) do
      {:error, {:crashed, reason}} ->
        {:error, {:dala_dist, reason}}

      _ ->
        # Dala may start distribution in a process of its own; wait until the node is up.
        if wait_until(fn -> Node.alive?() and Node.self() == node end, opts.start_timeout) do
          fresh_default_cookie(opts)
        else
          {:error, {:dist_start_timeout, Node.self()}}
        end
    end
  end

  defp start_net_kernel(node, opts) do
    case :net_kernel.start(node, %{name_domain: :longnames, hidden: true, dist_listen: false}) do
      {:ok, _} -> fresh_default_cookie(opts)
      {:error, {:already_started, _}} -> fresh_default_cookie(opts)
      {:error, reason} -> {:error, {:dist_start, reason}}
    end
  end

  # The default cookie read from ~/.erlang.cookie (or Dala's) must not be what is in force
  # while a session runs.
  defp fresh_default_cookie(opts) do
    case guarded(fn -> :erlang.set_cookie(opts.random_cookie.()) end) do
      true -> :ok
      _ -> {:error, :not_alive}
    end
  end

  defp wait_until(fun, timeout) do
    deadline = System.monotonic_time(:millisecond) + timeout

    Stream.repeatedly(fn ->
      if fun.() do
        true
      else
        Process.sleep(20)
        if System.monotonic_time(:millisecond) > deadline, do: false, else: nil
      end
    end)
    |> Enum.find(&(&1 != nil))
  end

  defp guarded(fun) do
    fun.()
  rescue
    e -> {:error, {:crashed, e}}
  catch
    kind, reason -> {:error, {:crashed, {kind, reason}}}
  end
end
