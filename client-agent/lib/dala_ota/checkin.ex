defmodule DalaOta.Checkin do
  @moduledoc """
  The check-in (docs/api.md): the ETF request, and the verification of the signed answer.

  The answer is a `checkin_response` document signed by the server's *session* key. It is
  verified up to the pinned root before it is decoded, then held against freeze and replay
  attacks: its issue time may not be ahead of the device's clock by more than the allowed skew,
  it must not have expired, it must not be older than the newest answer the device accepted
  before, and an update must be addressed to this install. A root-signed revocation list that
  travels with it is verified against the same root.
  """

  alias DalaOta.Trust

  @type session :: %{
          protocol: pos_integer,
          id: binary,
          server_node: binary,
          device_node: binary,
          server_key: binary,
          expires_at: integer
        }

  @type update :: %{
          sequence: non_neg_integer,
          label: binary,
          manifest: binary,
          delta: [binary],
          mandatory: boolean,
          apply_mode: :hot | :next_start,
          bundle_url: binary,
          bundle_sha256: binary,
          bundle_size: non_neg_integer,
          modules_url: binary,
          session: session | nil
        }

  @type answer :: %{
          issued_at: integer,
          expires_at: integer,
          decision: :update | :none,
          reason: binary | nil,
          update: update | nil,
          revocations: %{version: non_neg_integer, revoked: MapSet.t(), bytes: binary} | nil,
          root_version: pos_integer
        }

  @type problem ::
          Trust.problem()
          | :malformed_checkin
          | :checkin_expired
          | :checkin_not_yet_valid
          | :checkin_replayed
          | :checkin_for_another_device

  @typedoc "The device's side: its identity and what it accepted before."
  @type device :: %{
          install_id: binary,
          now: integer,
          clock_skew: non_neg_integer,
          last_issued_at: integer,
          revocations_version: integer
        }

  @doc "The request body: an ETF map with atom keys, as the server's reader expects."
  @spec request(map) :: binary
  def request(fields) do
    fields
    |> Map.take([
      :channel_key,
      :install_id,
      :platform,
      :base_fingerprint,
      :otp_release,
      :current_sequence,
      :agent_version,
      :session_key
    ])
    |> Map.reject(fn {_k, v} -> v == nil end)
    |> :erlang.term_to_binary()
  end

  @doc "Verifies and decodes a signed answer."
  @spec verify(binary, Trust.context(), device) :: {:ok, answer} | {:error, [problem]}
  def verify(bytes, trust_ctx, device) do
    with {:ok, verified} <- Trust.verify(bytes, :checkin_response, :session, trust_ctx),
         {:ok, term} <- decode(verified.payload),
         {:ok, answer} <- shape(term, verified.root.version),
         {:ok, answer} <- revocations(answer, term, verified, trust_ctx.crypto, device) do
      case freshness(answer, device) ++ addressee(answer, term, device) do
        [] -> {:ok, answer}
        problems -> {:error, problems}
      end
    end
  end

  defp decode(payload) do
    case Trust.decode_payload(payload) do
      {:ok, term} -> {:ok, term}
      :error -> {:error, [:malformed_checkin]}
    end
  end

  defp shape(
         %{format: 1, issued_at: issued_at, expires_at: expires_at, decision: decision} = term,
         root_version
       )
       when is_integer(issued_at) and is_integer(expires_at) and decision in [:update, :none] do
    answer = %{
      issued_at: issued_at,
      expires_at: expires_at,
      decision: decision,
      reason: nil,
      update: nil,
      revocations: nil,
      root_version: root_version
    }

    case decision do
      :none ->
        {:ok, %{answer | reason: text(Map.get(term, :reason))}}

      :update ->
        case update(Map.get(term, :update)) do
          {:ok, update} -> {:ok, %{answer | update: update}}
          :error -> {:error, [:malformed_checkin]}
        end
    end
  end

  defp shape(_, _), do: {:error, [:malformed_checkin]}

  defp update(
         %{
           sequence: sequence,
           label: label,
           manifest: manifest,
           delta: delta,
           mandatory: mandatory,
           apply_mode: mode,
           bundle_url: bundle_url,
           bundle_sha256: bundle_sha256,
           bundle_size: bundle_size,
           modules_url: modules_url
         } = update
       )
       when is_integer(sequence) and sequence > 0 and is_binary(label) and is_binary(manifest) and
              is_list(delta) and
              is_boolean(mandatory) and mode in [:hot, :next_start] and is_binary(bundle_url) and
              is_binary(bundle_sha256) and is_integer(bundle_size) and bundle_size >= 0 and
              is_binary(modules_url) do
    with true <- Enum.all?(delta, &is_binary/1),
         {:ok, session} <- session(Map.get(update, :session)) do
      {:ok,
       %{
         sequence: sequence,
         label: label,
         manifest: manifest,
         delta: delta,
         mandatory: mandatory,
         apply_mode: mode,
         bundle_url: bundle_url,
         bundle_sha256: String.downcase(bundle_sha256),
         bundle_size: bundle_size,
         modules_url: modules_url,
         session: session
       }}
    else
      _ -> :error
    end
  end

  defp update(_), do: :error

  defp session(nil), do: {:ok, nil}

  defp session(%{
         protocol: protocol,
         id: <<_::binary-size(16)>> = id,
         server_node: server_node,
         device_node: device_node,
         server_key: <<_::binary-size(32)>> = server_key,
         expires_at: expires_at
       })
       when is_integer(protocol) and is_binary(server_node) and is_binary(device_node) and
              is_integer(expires_at) do
    {:ok,
     %{
       protocol: protocol,
       id: id,
       server_node: server_node,
       device_node: device_node,
       server_key: server_key,
       expires_at: expires_at
     }}
  end

  defp session(_), do: :error

  # A revocation list signed by the root the answer's chain reached; a list older than the one
  # the device holds is ignored, as lists only grow.
  defp revocations(answer, term, verified, crypto, device) do
    case Map.get(term, :revocations) do
      nil ->
        {:ok, answer}

      bytes when is_binary(bytes) ->
        case Trust.verify_revocations(bytes, verified.root, crypto) do
          {:ok, list} ->
            cond do
              MapSet.member?(list.revoked, verified.certificate.key_id) ->
                {:error, [:role_key_revoked]}

              list.version > device.revocations_version ->
                {:ok, %{answer | revocations: Map.put(list, :bytes, bytes)}}

              true ->
                {:ok, answer}
            end

          {:error, problem} ->
            {:error, [problem]}
        end

      _ ->
        {:error, [:malformed_checkin]}
    end
  end

  defp freshness(answer, device) do
    [
      {answer.issued_at > device.now + device.clock_skew, :checkin_not_yet_valid},
      {device.now >= answer.expires_at + device.clock_skew, :checkin_expired},
      {answer.issued_at < device.last_issued_at, :checkin_replayed}
    ]
    |> Enum.flat_map(fn {failed, problem} -> if failed, do: [problem], else: [] end)
  end

  # An update answer names the install it was written for, so one device's session can never
  # be handed to another.
  defp addressee(%{decision: :update}, term, device) do
    if Map.get(term, :install_id) == device.install_id,
      do: [],
      else: [:checkin_for_another_device]
  end

  defp addressee(_answer, _term, _device), do: []

  defp text(value) when is_binary(value), do: value
  defp text(_), do: nil
end
