defmodule DalaOta.Session do
  @moduledoc """
  The device's side of a delivery session over Erlang distribution (docs/protocol.md):

  1. derive the session cookie (`DalaOta.SessionCookie`);
  2. register `dala_ota_session`, start distribution under the session's device node name,
     set the cookie for the server node only, connect;
  3. take the offer, whose manifest must be byte for byte the one the signed check-in answer
     carried, and verify it again;
  4. ask for the modules the device lacks and check each one's name, size and SHA-256 as it
     arrives;
  5. after the caller applied or staged the update, send the result and wait for `bye`;
  6. always, whatever happened: unregister, stop distribution and kill the cookie
     (`DalaOta.Distribution`).

  Errors are `{:error, {:unavailable, reason}}` when the session could not run (distribution did
  not start, the server refused, an abort, a lost connection, a timeout) and the same signed
  bundle should be fetched over HTTP instead, or `{:error, {:rejected, reason}}` when what the
  server sent fails verification, which the caller reports as a failure.
  """

  alias DalaOta.SessionCookie

  # `started` is whether this session brought distribution up: only then does `close/1` stop it
  # and rotate cookies. Distribution the app runs itself is never this session's to stop.
  defstruct [
    :id,
    :server_node,
    :server_pid,
    :dist,
    :dist_opts,
    :crypto,
    :timeouts,
    :offer,
    :limits,
    started: false
  ]

  @type t :: %__MODULE__{}

  @type params :: %{
          optional(:limits) => %{max_module_bytes: pos_integer, max_bundle_bytes: pos_integer},
          optional(:announce) => (node, node -> any),
          session: DalaOta.Checkin.session(),
          crypto: module,
          dist: module,
          install_id: binary,
          device_public: binary,
          device_secret: binary,
          expected_manifest: binary,
          verify_manifest: (binary -> :ok | {:error, term}),
          now: integer,
          random_cookie: (() -> atom),
          timeouts: %{
            start: pos_integer,
            offer: pos_integer,
            module: pos_integer,
            bye: pos_integer
          }
        }

  @registered :dala_ota_session

  @doc """
  Connects and takes the offer. The caller must call `close/1` on the returned session, and
  `open/1` itself cleans up when it fails.

  `announce`, when given, is called with the server and device node names once they are known
  to be well formed and before distribution starts, so a supervisor that may have to kill this
  process knows which node's cookie to rotate. `limits` caps what module messages may carry.

  An offer the device refuses is reported to the server as `{failed, Reason}`; the error is
  `{:rejected, reason}` once the server acknowledged it with `bye`, and
  `{:rejected_unrecorded, reason}` when it did not, so the caller reports it over HTTP.
  """
  @spec open(params) ::
          {:ok, t} | {:error, {:unavailable | :rejected | :rejected_unrecorded, term}}
  def open(params) do
    with :ok <- check_session(params.session, params.now),
         {:ok, cookie} <- derive(params) do
      server = String.to_atom(params.session.server_node)
      device = String.to_atom(params.session.device_node)

      dist_opts = %{
        random_cookie: params.random_cookie,
        start_timeout: params.timeouts.start,
        connect_timeout: Map.get(params.timeouts, :connect, 15_000),
        device_node: device
      }

      handle = %__MODULE__{
        id: params.session.id,
        server_node: server,
        dist: params.dist,
        dist_opts: dist_opts,
        crypto: params.crypto,
        timeouts: params.timeouts,
        limits: Map.get(params, :limits, %{})
      }

      if announce = Map.get(params, :announce), do: announce.(server, device)

      case connect(handle, device, cookie) do
        {:ok, handle} -> take_offer(handle, params)
        # Another session holds the name; nothing of this one was started.
        {:error, :session_name_taken, _} -> {:error, {:unavailable, :session_name_taken}}
        {:error, reason, handle} -> close_with(handle, {:error, {:unavailable, reason}})
      end
    end
  end

  @doc """
  Asks for `entries` (manifest module entries, in order) and receives them. Returns the
  modules' bytes by SHA-256, and what the server says it sent.
  """
  @spec fetch(t, [DalaOta.Manifest.module_entry()]) ::
          {:ok, %{binary => binary}, %{modules: non_neg_integer, bytes: non_neg_integer}}
          | {:error, {:unavailable | :rejected, term}}
  def fetch(%__MODULE__{} = s, entries) do
    send(
      s.server_pid,
      {:dala_ota, 1, :want, %{session: s.id, modules: Enum.map(entries, & &1.sha256)}}
    )

    with {:ok, modules} <- receive_modules(s, entries, %{}, 0),
         {:ok, sent} <- receive_sent(s, length(entries)) do
      {:ok, modules, sent}
    end
  end

  @doc """
  Sends the outcome (`:applied`, `:staged` or `{:failed, reason_text}`) and waits for the
  server's `bye`. Returns what the server recorded, or `:no_bye`.
  """
  @spec finish(t, :applied | :staged | {:failed, binary}) :: {:ok, atom} | {:ok, :no_bye}
  def finish(%__MODULE__{} = s, result) do
    send(s.server_pid, {:dala_ota, 1, :result, %{session: s.id, result: result}})
    id = s.id
    server = s.server_node

    receive do
      {:dala_ota, 1, :bye, %{session: ^id, recorded: recorded}} -> {:ok, recorded}
      {:dala_ota, 1, :abort, %{session: ^id}} -> {:ok, :no_bye}
      {:nodedown, ^server} -> {:ok, :no_bye}
    after
      s.timeouts.bye -> {:ok, :no_bye}
    end
  end

  @doc "Ends the session on the device: unregisters, stops distribution and kills the cookie."
  @spec close(t) :: :ok
  def close(%__MODULE__{} = s) do
    # Fails (notalive) when distribution is already down; there is nothing to undo then.
    try do
      :erlang.monitor_node(s.server_node, false)
    catch
      :error, _ -> :ok
    end

    if Process.whereis(@registered) == self(), do: Process.unregister(@registered)
    if s.started, do: s.dist.stop(s.server_node, s.dist_opts)
    flush(s.id, s.server_node)
  end

  # --- steps ---------------------------------------------------------------------------------

  # Node names come from the signed answer; they are still checked to have the one shape the
  # protocol allows before they become atoms.
  defp check_session(session, now) do
    hex = DalaOta.Crypto.hex(session.id)

    cond do
      session.protocol != 1 ->
        {:error, {:unavailable, {:unsupported_protocol, session.protocol}}}

      session.expires_at <= now ->
        {:error, {:unavailable, :session_expired}}

      not node_name?(session.device_node, "dala_" <> hex) ->
        {:error, {:rejected, :bad_device_node}}

      not node_name?(session.server_node, nil) ->
        {:error, {:rejected, :bad_server_node}}

      true ->
        :ok
    end
  end

  defp node_name?(name, expected_alive) do
    with [alive, host] <- String.split(name, "@"),
         true <- byte_size(name) <= 255 and alive != "" and String.contains?(host, "."),
         true <-
           Regex.match?(~r/\A[A-Za-z0-9_-]+\z/, alive) and
             Regex.match?(~r/\A[A-Za-z0-9.-]+\z/, host) do
      expected_alive == nil or alive == expected_alive
    else
      _ -> false
    end
  end

  defp derive(params) do
    case SessionCookie.derive(
           params.crypto,
           params.device_secret,
           params.device_public,
           params.install_id,
           params.session
         ) do
      {:ok, cookie} -> {:ok, cookie}
      {:error, :weak_key} -> {:error, {:rejected, :weak_server_key}}
    end
  end

  defp connect(handle, device, cookie) do
    # The name is registered before connecting: the server's offer is sent to it as soon as
    # the handshake completes.
    if Process.whereis(@registered) != nil do
      {:error, :session_name_taken, handle}
    else
      true = Process.register(self(), @registered)

      case handle.dist.start(device, handle.dist_opts) do
        :ok ->
          handle = %{handle | started: true}

          with :ok <-
                 handle.dist.connect(handle.server_node, String.to_atom(cookie), handle.dist_opts),
               :ok <- monitor(handle.server_node) do
            {:ok, handle}
          else
            {:error, reason} -> {:error, reason, handle}
          end

        {:error, reason} ->
          # A start that failed late (Dala's came up after its timeout) may still have brought up
          # the session's own node; that one is this session's to stop. Any other node is not.
          started = Node.alive?() and Node.self() == device
          {:error, reason, %{handle | started: started}}
      end
    end
  end

  # Distribution can drop between connecting and this call.
  defp monitor(server) do
    true = :erlang.monitor_node(server, true)
    :ok
  rescue
    _ -> {:error, :connection_lost}
  end

  defp take_offer(s, params) do
    id = s.id
    server = s.server_node

    receive do
      {:dala_ota, 1, :offer, %{session: ^id, server: pid, manifest: manifest}} = offer
      when is_pid(pid) and node(pid) == server and is_binary(manifest) ->
        s = %{s | server_pid: pid, offer: elem(offer, 3)}

        cond do
          manifest != params.expected_manifest ->
            reject(s, :manifest_not_offered)

          true ->
            case params.verify_manifest.(manifest) do
              :ok -> {:ok, s}
              {:error, reason} -> reject(s, reason)
            end
        end

      {:dala_ota, 1, :abort, %{session: ^id, reason: reason}} ->
        close_with(s, {:error, {:unavailable, {:aborted, reason}}})

      {:nodedown, ^server} ->
        close_with(s, {:error, {:unavailable, :connection_lost}})
    after
      s.timeouts.offer -> close_with(s, {:error, {:unavailable, :no_offer}})
    end
  end

  defp reject(s, reason) do
    case finish(s, {:failed, DalaOta.Reason.text(reason)}) do
      {:ok, :no_bye} -> close_with(s, {:error, {:rejected_unrecorded, reason}})
      {:ok, _} -> close_with(s, {:error, {:rejected, reason}})
    end
  end

  defp receive_modules(_s, [], acc, _total), do: {:ok, acc}

  defp receive_modules(s, [entry | rest], acc, total) do
    id = s.id
    server = s.server_node
    max_module = Map.get(s.limits, :max_module_bytes)
    max_bundle = Map.get(s.limits, :max_bundle_bytes)

    receive do
      {:dala_ota, 1, :module, %{session: ^id, sha256: sha, name: name, beam: beam}} ->
        # The device's own caps come first: the manifest's sizes were checked against them, but
        # the bytes that arrived are what the device now holds.
        size = if is_binary(beam), do: byte_size(beam), else: 0

        cond do
          max_module != nil and size > max_module ->
            {:error, {:rejected, {:too_large, {:module, name, size, max_module}}}}

          max_bundle != nil and total + size > max_bundle ->
            {:error, {:rejected, {:too_large, {:bundle, total + size, max_bundle}}}}

          sha != entry.sha256 or name != entry.name ->
            {:error, {:rejected, {:module_not_requested, name}}}

          not is_binary(beam) or size != entry.size ->
            {:error, {:rejected, {:module_size_mismatch, name}}}

          not s.crypto.equal(s.crypto.sha256(beam), entry.sha256) ->
            {:error, {:rejected, {:module_hash_mismatch, name}}}

          true ->
            receive_modules(s, rest, Map.put(acc, sha, beam), total + size)
        end

      {:dala_ota, 1, :abort, %{session: ^id, reason: reason}} ->
        {:error, {:unavailable, {:aborted, reason}}}

      {:nodedown, ^server} ->
        {:error, {:unavailable, :connection_lost}}
    after
      s.timeouts.module -> {:error, {:unavailable, :module_timeout}}
    end
  end

  defp receive_sent(s, count) do
    id = s.id
    server = s.server_node

    receive do
      {:dala_ota, 1, :sent, %{session: ^id, modules: ^count, bytes: bytes}}
      when is_integer(bytes) ->
        {:ok, %{modules: count, bytes: bytes}}

      {:dala_ota, 1, :sent, %{session: ^id}} ->
        {:error, {:rejected, :sent_count_mismatch}}

      # Every wanted module has arrived; one more is more than the device asked for.
      {:dala_ota, 1, :module, %{session: ^id}} ->
        {:error, {:rejected, :too_many_modules}}

      {:dala_ota, 1, :abort, %{session: ^id, reason: reason}} ->
        {:error, {:unavailable, {:aborted, reason}}}

      {:nodedown, ^server} ->
        {:error, {:unavailable, :connection_lost}}
    after
      s.timeouts.module -> {:error, {:unavailable, :module_timeout}}
    end
  end

  defp close_with(s, result) do
    close(s)
    result
  end

  defp flush(id, server) do
    receive do
      {:dala_ota, 1, _, %{session: ^id}} -> flush(id, server)
      {:nodedown, ^server} -> flush(id, server)
    after
      0 -> :ok
    end
  end
end
