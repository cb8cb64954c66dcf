defmodule DalaOta.E2E.Stack do
  @moduledoc """
  The real server for end-to-end tests, started the way `./ota up` does it: a private
  PostgreSQL, S3Proxy and the server's jar, on free ports, in a state folder of its own.

  Before `up`, the test's key folder is made with `ota keys`: a root, a session key, and two
  release keys. The first release key is then moved out of the server's folder (an attacker's
  stolen key) and revoked, so the server hands its revocation list to every device while it
  signs with the second key.

  One stack serves every end-to-end test; it is started once, on first use, and stopped by
  `stop/0` (registered as an `after_suite` callback) and, should the VM die, by the run-tests
  script, which knows its state folder through `DALA_OTA_E2E_STATE`.
  """
  use GenServer

  alias DalaOta.Admin
  alias DalaOta.Test.{Paths, Vectors}

  @doc "The running stack, started on first use."
  @spec get() :: map
  def get do
    case GenServer.whereis(__MODULE__) do
      nil ->
        # Not linked: the stack outlives the test module that started it.
        {:ok, _} = GenServer.start(__MODULE__, :ok, name: __MODULE__)
        GenServer.call(__MODULE__, :info, :infinity)

      _ ->
        GenServer.call(__MODULE__, :info, :infinity)
    end
  end

  @doc "Stops the stack, if it runs."
  @spec stop() :: :ok
  def stop do
    if GenServer.whereis(__MODULE__), do: GenServer.stop(__MODULE__, :normal, :infinity)
    :ok
  end

  @doc "An admin API client for the stack."
  def admin(stack), do: %{Admin.new(stack.url, stack.token) | timeout: 60_000}

  @impl true
  def init(:ok) do
    Process.flag(:trap_exit, true)
    {:ok, nil, {:continue, :up}}
  end

  @impl true
  def handle_continue(:up, nil), do: {:noreply, up()}

  @impl true
  def handle_call(:info, _from, stack), do: {:reply, stack, stack}

  # System.cmd's ports report their end to this trapping process.
  @impl true
  def handle_info({:EXIT, _port, _reason}, stack), do: {:noreply, stack}

  @impl true
  def terminate(_reason, stack) do
    if stack, do: down(stack)
  end

  defp up do
    state =
      System.get_env("DALA_OTA_E2E_STATE") ||
        Path.join(System.tmp_dir!(), "dala-ota-e2e-#{System.unique_integer([:positive])}")

    File.mkdir_p!(state)
    [http, pg, s3, epmd, dist] = free_ports(5)
    keys = Path.join(state, "keys")
    stolen = Path.join(state, "stolen")
    make_keys(keys, stolen)

    env = [
      {"OTA_STATE_DIR", state},
      {"OTA_HTTP_PORT", "#{http}"},
      {"OTA_PG_PORT", "#{pg}"},
      {"OTA_S3_PORT", "#{s3}"},
      {"OTA_EPMD_PORT", "#{epmd}"},
      {"OTA_DIST_PORT", "#{dist}"},
      {"OTA_KEYS_DIR", keys}
    ]

    {out, status} =
      System.cmd(Path.join(Paths.root(), "ota"), ["up"], env: env, stderr_to_stdout: true)

    if status != 0 do
      down(%{env: env, state: state})
      raise "./ota up failed (#{status}):\n#{out}\n#{tail(Path.join(state, "server.log"))}"
    end

    [stolen_cert] = Path.wildcard(Path.join(stolen, "release-*.cert.etf"))
    [stolen_key] = Path.wildcard(Path.join(stolen, "release-*.key.pem"))

    %{
      url: "http://127.0.0.1:#{http}",
      token: state |> Path.join("admin-token") |> File.read!() |> String.trim(),
      epmd_port: epmd,
      dist_port: dist,
      state: state,
      env: env,
      keys: keys,
      root_public: public_key(Path.join(keys, "root-1.pub.pem")),
      roots: [File.read!(Path.join(keys, "root-1.etf"))],
      stolen: %{cert: File.read!(stolen_cert), seed: Vectors.private_seed(stolen_key)}
    }
  end

  defp make_keys(keys, stolen) do
    ota(["keys", "init-root", "--dir", keys])
    ota(["keys", "issue", "--role", "session", "--dir", keys])
    ota(["keys", "issue", "--role", "release", "--dir", keys])
    File.mkdir_p!(stolen)

    for file <- Path.wildcard(Path.join(keys, "release-*")),
        do: File.rename!(file, Path.join(stolen, Path.basename(file)))

    [pub] = Path.wildcard(Path.join(stolen, "release-*.pub.pem"))
    id = pub |> public_key() |> key_id()
    ota(["keys", "issue", "--role", "release", "--dir", keys])
    ota(["keys", "revoke", id, "--dir", keys])
  end

  defp ota(args) do
    case System.cmd(Path.join(Paths.root(), "ota"), args, stderr_to_stdout: true) do
      {_, 0} -> :ok
      {out, status} -> raise "ota #{Enum.join(args, " ")} failed (#{status}): #{out}"
    end
  end

  defp down(%{env: env, state: state}) do
    System.cmd(Path.join(Paths.root(), "ota"), ["down"], env: env, stderr_to_stdout: true)
    pg = Path.join(state, "pg")

    # ./ota up keeps PostgreSQL's cluster outside a folder its user cannot reach, behind a link.
    case File.read_link(pg) do
      {:ok, target} -> File.rm_rf(target)
      _ -> :ok
    end

    unless System.get_env("DALA_OTA_E2E_STATE"), do: File.rm_rf(state)
    :ok
  end

  defp public_key(path) do
    der = path |> File.read!() |> Vectors.pem_body()
    binary_part(der, byte_size(der) - 32, 32)
  end

  defp key_id(public), do: Base.encode16(:crypto.hash(:sha256, public), case: :lower)

  defp free_ports(n) do
    sockets = for _ <- 1..n, do: elem(:gen_tcp.listen(0, reuseaddr: true), 1)
    ports = for s <- sockets, do: elem(:inet.port(s), 1)
    Enum.each(sockets, &:gen_tcp.close/1)
    ports
  end

  defp tail(file) do
    case File.read(file) do
      {:ok, text} -> text |> String.split("\n") |> Enum.take(-40) |> Enum.join("\n")
      _ -> ""
    end
  end
end
