defmodule DalaOta.Test.FakeDist do
  @moduledoc """
  A `DalaOta.Distribution` for unit tests of the session protocol, in one VM. The VM takes the
  *server's* node name (hidden, not listening), so a local process can play the server: its pid
  then belongs to the server node, which is what the session checks of an offer. `connect/3`
  runs the test's script, which starts that process. Each call is sent to the test process.
  """
  @behaviour DalaOta.Distribution

  @doc "Sets up a test: who gets the call log, the server's node name, and the connect script."
  def setup(server_node, on_connect, opts \\ []) do
    :persistent_term.put(__MODULE__, %{
      test: self(),
      server: server_node,
      on_connect: on_connect,
      fail: opts[:fail]
    })
  end

  @impl true
  def start(device_node, opts) do
    cfg = :persistent_term.get(__MODULE__)
    send(cfg.test, {:fake_dist, :start, device_node})

    case cfg.fail do
      :start ->
        {:error, :refused_by_test}

      _ ->
        {:ok, _} =
          :net_kernel.start(cfg.server, %{
            name_domain: :longnames,
            hidden: true,
            dist_listen: false
          })

        :erlang.set_cookie(opts.random_cookie.())
        :ok
    end
  end

  @impl true
  def connect(server, cookie, _opts) do
    cfg = :persistent_term.get(__MODULE__)
    send(cfg.test, {:fake_dist, :connect, server, cookie})
    # As the real one does: the session cookie is in force for the server node from here on.
    if Node.alive?(), do: :erlang.set_cookie(server, cookie)

    case cfg.fail do
      :connect ->
        {:error, :connect_refused}

      _ ->
        cfg.on_connect.()
        :ok
    end
  end

  @impl true
  def stop(server, _opts) do
    cfg = :persistent_term.get(__MODULE__)
    send(cfg.test, {:fake_dist, :stop, server})
    :net_kernel.stop()
    :ok
  end
end
