defmodule DalaOta.Trust do
  @moduledoc """
  Verifies a role-signed document up to the pinned root keys, with the rules of
  docs/security.md and the problem codes the Java signer and the shared test vectors use.

  Bytes are verified before they are decoded: a root document is read only after a signature
  by an already trusted key holds, a certificate only after the root's signature over it holds,
  and the document's payload only after the certified key's signature holds. Independent
  problems are reported together, as a list of atoms.

  Beyond the signer's rules the device also keeps a *root floor*: once it has verified a
  document whose chain reached root version N, a chain that stops below N (an attacker
  replaying documents from before a rotation) is refused with `:root_superseded`.
  """

  alias DalaOta.Signed

  @type problem ::
          :malformed_document
          | :wrong_document_kind
          | :root_not_pinned
          | :root_chain_broken
          | :root_superseded
          | :certificate_missing
          | :certificate_not_trusted
          | :wrong_role
          | :role_key_expired
          | :role_key_not_yet_valid
          | :role_key_revoked
          | :revocation_list_invalid
          | :signer_not_certified
          | :signature_invalid
          | :unsigned

  @typedoc """
  What a verification needs:

    * `:crypto` - a `DalaOta.Crypto` implementation that passed its known-answer tests;
    * `:pinned` - the raw 32-byte Ed25519 root keys the base build pins;
    * `:now` - Unix seconds;
    * `:revocation_list` - an encoded root-signed revocation list to check against the root
      the document's chain reaches (how the test vectors state it), or nil;
    * `:revoked` - key ids the device already learned from verified lists, or nil;
    * `:min_root_version` - the root floor (0 when the device has seen no root yet).
  """
  @type context :: %{
          required(:crypto) => module,
          required(:pinned) => [binary],
          required(:now) => integer,
          optional(:revocation_list) => binary | nil,
          optional(:revoked) => MapSet.t() | nil,
          optional(:min_root_version) => non_neg_integer
        }

  @type root :: %{version: pos_integer, public_key: binary, key_id: binary}
  @type certificate :: %{
          role: :release | :session,
          public_key: binary,
          key_id: binary,
          not_before: integer,
          not_after: integer
        }

  @type verified :: %{payload: binary, document: Signed.t(), root: root, certificate: certificate}

  @doc """
  Verifies `bytes` as a document of `kind` signed by a key certified for `role`. On success
  the payload is still the signed binary; decode it with `decode_payload/1`.
  """
  @spec verify(binary, Signed.kind(), :release | :session, context) ::
          {:ok, verified} | {:error, [problem]}
  def verify(bytes, kind, role, ctx) when is_binary(bytes) do
    case Signed.parse(bytes) do
      {:ok, document} -> verify_document(document, kind, role, ctx)
      {:error, _} -> {:error, [:malformed_document]}
    end
  end

  @doc """
  Verifies an already parsed document. See `verify/4`.
  """
  @spec verify_document(Signed.t(), Signed.kind(), :release | :session, context) ::
          {:ok, verified} | {:error, [problem]}
  def verify_document(%Signed{} = document, kind, role, ctx) do
    problems = if document.kind == kind, do: [], else: [:wrong_document_kind]

    with {:ok, links} <- parse_chain(document.chain),
         {roots, certificates} = Enum.split_with(links, &(&1.kind == :root)),
         {:ok, root} <- resolve_root(roots, ctx),
         :ok <- check_floor(root, ctx),
         {:ok, certificate} <- single_certificate(certificates),
         {:ok, certificate} <- trusted_certificate(certificate, root, ctx) do
      problems =
        problems
        |> check_role(certificate, role)
        |> check_validity(certificate, ctx.now)
        |> check_revocation(certificate, root, ctx)
        |> check_signature(document, certificate, ctx)

      case problems do
        [] ->
          {:ok,
           %{payload: document.payload, document: document, root: root, certificate: certificate}}

        _ ->
          {:error, Enum.reverse(problems)}
      end
    else
      {:error, problem} -> {:error, Enum.reverse([problem | problems])}
    end
  end

  @doc """
  Verifies a root-signed revocation list against `root` and returns its version and the key
  ids it revokes.
  """
  @spec verify_revocations(binary, root, module) ::
          {:ok, %{version: non_neg_integer, revoked: MapSet.t()}}
          | {:error, :revocation_list_invalid}
  def verify_revocations(bytes, root, crypto) do
    with {:ok, %Signed{kind: :revocation_list} = document} <- Signed.parse(bytes),
         true <- signed_by?(document, root.public_key, crypto),
         {:ok, %{format: 1, version: version, revoked: revoked}}
         when is_integer(version) and version >= 0 <-
           decode_payload(document.payload),
         true <- is_list(revoked) and Enum.all?(revoked, &is_binary/1) do
      {:ok, %{version: version, revoked: MapSet.new(revoked)}}
    else
      _ -> {:error, :revocation_list_invalid}
    end
  end

  # Every atom a signed document of format 1 may hold. `[:safe]` decoding refuses atoms that do
  # not exist yet, and these exist as soon as this module is loaded, which decoding implies.
  @document_atoms ~w(format version public_key key_id issued_at role release session not_before
    not_after issuer root_version revoked app sequence label bases platform otp_release
    fingerprint modules name sha256 size beam_md5 apply_mode hot next_start expires_at
    min_agent_version channel decision update none reason install_id manifest delta mandatory
    bundle_url bundle_sha256 bundle_size modules_url protocol id server_node device_node
    server_key revocations)a

  @doc "The atoms signed documents use; they exist once this module is loaded."
  @spec document_atoms() :: [atom]
  def document_atoms, do: @document_atoms

  @doc """
  Decodes a verified payload with `binary_to_term(_, [:safe])`, which creates no atoms: every
  key a document uses is one of `document_atoms/0`.
  """
  @spec decode_payload(binary) :: {:ok, term} | :error
  def decode_payload(payload) when is_binary(payload) do
    {:ok, :erlang.binary_to_term(payload, [:safe])}
  rescue
    ArgumentError -> :error
  end

  @doc "A key id: the lowercase hex SHA-256 of a raw public key."
  @spec key_id(binary, module) :: binary
  def key_id(public_key, crypto), do: DalaOta.Crypto.hex(crypto.sha256(public_key))

  # --- the chain ----------------------------------------------------------------------------

  defp parse_chain(links) do
    Enum.reduce_while(links, {:ok, []}, fn link, {:ok, acc} ->
      case Signed.parse(link) do
        {:ok, doc} -> {:cont, {:ok, [doc | acc]}}
        {:error, _} -> {:halt, {:error, :malformed_document}}
      end
    end)
    |> case do
      {:ok, docs} -> {:ok, Enum.reverse(docs)}
      error -> error
    end
  end

  # Trust starts at the first document of a pinned key signed by that key; documents before it
  # are history. Every later one must be the next version, signed by the previous root and by
  # its own key.
  defp resolve_root(roots, ctx) do
    Enum.reduce_while(roots, nil, fn doc, current ->
      cond do
        current == nil -> {:cont, pinned_root(doc, ctx)}
        true -> next_root(doc, current, ctx)
      end
    end)
    |> case do
      nil -> {:error, :root_not_pinned}
      {:error, _} = error -> error
      root -> {:ok, root}
    end
  end

  defp pinned_root(doc, ctx) do
    Enum.find_value(ctx.pinned, fn pinned ->
      with true <- signed_by?(doc, pinned, ctx.crypto),
           {:ok, root} <- decode_root(doc.payload, ctx.crypto),
           true <- root.public_key == pinned do
        root
      else
        _ -> nil
      end
    end)
  end

  defp next_root(doc, current, ctx) do
    with {:signed_by_previous, true} <-
           {:signed_by_previous, signed_by?(doc, current.public_key, ctx.crypto)},
         {:ok, next} <- decode_root(doc.payload, ctx.crypto),
         true <- next.version == current.version + 1,
         true <- signed_by?(doc, next.public_key, ctx.crypto) do
      {:cont, next}
    else
      _ -> {:halt, {:error, :root_chain_broken}}
    end
  end

  defp decode_root(payload, crypto) do
    case decode_payload(payload) do
      {:ok, %{format: 1, version: version, public_key: <<_::binary-size(32)>> = key}}
      when is_integer(version) and version > 0 ->
        {:ok, %{version: version, public_key: key, key_id: key_id(key, crypto)}}

      _ ->
        :error
    end
  end

  defp check_floor(root, ctx) do
    if root.version < Map.get(ctx, :min_root_version, 0),
      do: {:error, :root_superseded},
      else: :ok
  end

  defp single_certificate([%Signed{kind: :role_certificate} = certificate]),
    do: {:ok, certificate}

  defp single_certificate(_), do: {:error, :certificate_missing}

  defp trusted_certificate(doc, root, ctx) do
    with true <- signed_by?(doc, root.public_key, ctx.crypto),
         {:ok,
          %{
            format: 1,
            role: role,
            public_key: <<_::binary-size(32)>> = key,
            not_before: not_before,
            not_after: not_after,
            issuer: issuer
          }}
         when role in [:release, :session] and is_integer(not_before) and is_integer(not_after) <-
           decode_payload(doc.payload),
         true <- issuer == root.key_id do
      {:ok,
       %{
         role: role,
         public_key: key,
         key_id: key_id(key, ctx.crypto),
         not_before: not_before,
         not_after: not_after
       }}
    else
      _ -> {:error, :certificate_not_trusted}
    end
  end

  defp check_role(problems, %{role: role}, role), do: problems
  defp check_role(problems, _certificate, _role), do: [:wrong_role | problems]

  defp check_validity(problems, certificate, now) do
    problems =
      if now < certificate.not_before, do: [:role_key_not_yet_valid | problems], else: problems

    if now > certificate.not_after, do: [:role_key_expired | problems], else: problems
  end

  defp check_revocation(problems, certificate, root, ctx) do
    problems =
      case Map.get(ctx, :revocation_list) do
        nil ->
          problems

        list ->
          case verify_revocations(list, root, ctx.crypto) do
            {:ok, %{revoked: revoked}} -> revoked?(problems, revoked, certificate)
            {:error, problem} -> [problem | problems]
          end
      end

    case Map.get(ctx, :revoked) do
      nil ->
        problems

      revoked ->
        if :role_key_revoked in problems,
          do: problems,
          else: revoked?(problems, revoked, certificate)
    end
  end

  defp revoked?(problems, revoked, certificate) do
    if MapSet.member?(revoked, certificate.key_id),
      do: [:role_key_revoked | problems],
      else: problems
  end

  defp check_signature(problems, %Signed{signatures: []}, _certificate, _ctx),
    do: [:unsigned | problems]

  defp check_signature(problems, document, certificate, ctx) do
    case List.keyfind(document.signatures, certificate.key_id, 0) do
      nil ->
        [:signer_not_certified | problems]

      {_, signature} ->
        input = Signed.signing_input(document.kind, document.payload)

        if verify_signature(ctx.crypto, certificate.public_key, input, signature),
          do: problems,
          else: [:signature_invalid | problems]
    end
  end

  defp signed_by?(%Signed{} = doc, public_key, crypto) do
    id = key_id(public_key, crypto)
    input = Signed.signing_input(doc.kind, doc.payload)

    Enum.any?(doc.signatures, fn {key_id, signature} ->
      key_id == id and verify_signature(crypto, public_key, input, signature)
    end)
  end

  defp verify_signature(crypto, public_key, input, signature) do
    byte_size(signature) == 64 and crypto.ed25519_verify(public_key, input, signature) == true
  end
end
