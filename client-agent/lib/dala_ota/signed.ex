defmodule DalaOta.Signed do
  @moduledoc """
  Reads the container every signed document travels in (docs/formats.md) without decoding
  anything an attacker controls:

      {dala_ota_signed, 1, Kind, Payload, [{KeyIdHex, Signature}], Chain}

  The container is matched byte by byte against its one canonical encoding, so the payload,
  the signatures and the chain come out as binaries and no `binary_to_term/2` runs before a
  signature holds. Only the payload of a document whose signature was verified is ever decoded,
  and then with `[:safe]`.
  """

  @enforce_keys [:kind, :payload, :signatures, :chain]
  defstruct [:kind, :payload, :signatures, :chain]

  @type kind :: :root | :role_certificate | :revocation_list | :manifest | :checkin_response
  @type t :: %__MODULE__{
          kind: kind,
          payload: binary,
          signatures: [{key_id :: binary, signature :: binary}],
          chain: [binary]
        }

  # The format's own caps, the same as the Java signer's (`SignedDocument`): a document with
  # more is malformed. They keep a hostile container from making the verifier loop over
  # thousands of entries.
  @max_signatures 4
  @max_chain 32

  @doc "The most signatures, and chain links, a signed document may carry."
  @spec limits() :: %{signatures: pos_integer, chain: pos_integer}
  def limits, do: %{signatures: @max_signatures, chain: @max_chain}

  # Atom texts mapped to atoms this module already holds, so reading a kind creates no atom.
  @kinds %{
    "root" => :root,
    "role_certificate" => :role_certificate,
    "revocation_list" => :revocation_list,
    "manifest" => :manifest,
    "checkin_response" => :checkin_response
  }

  @doc """
  Splits an encoded signed document into its parts. Anything but the canonical encoding of
  the container (atoms as `SMALL_ATOM_UTF8_EXT`, binaries as `BINARY_EXT`, no trailing bytes)
  is `{:error, :malformed_document}`.
  """
  @spec parse(binary) :: {:ok, t} | {:error, :malformed_document}
  def parse(
        <<131, 104, 6, 119, 15, "dala_ota_signed", 97, 1, 119, kind_length,
          kind::binary-size(kind_length), 109, payload_length::32,
          payload::binary-size(payload_length), rest::binary>>
      ) do
    with {:ok, kind} <- Map.fetch(@kinds, kind),
         {:ok, signatures, rest} <- signatures(rest),
         {:ok, chain, <<>>} <- chain(rest) do
      {:ok, %__MODULE__{kind: kind, payload: payload, signatures: signatures, chain: chain}}
    else
      _ -> {:error, :malformed_document}
    end
  end

  def parse(_), do: {:error, :malformed_document}

  @doc "The bytes a signature covers: `\"dala-ota/v1/\" ++ Kind ++ <<0>> ++ Payload`."
  @spec signing_input(kind, binary) :: binary
  def signing_input(kind, payload) when is_atom(kind) and is_binary(payload) do
    <<"dala-ota/v1/", Atom.to_string(kind)::binary, 0, payload::binary>>
  end

  @doc "Whether the document carries neither signatures nor a chain: an unsigned draft."
  @spec unsigned?(t) :: boolean
  def unsigned?(%__MODULE__{signatures: [], chain: []}), do: true
  def unsigned?(%__MODULE__{}), do: false

  defp signatures(<<106, rest::binary>>), do: {:ok, [], rest}

  defp signatures(<<108, count::32, rest::binary>>) when count in 1..@max_signatures do
    take_signatures(count, rest, [])
  end

  defp signatures(_), do: :error

  defp take_signatures(0, <<106, rest::binary>>, acc), do: {:ok, Enum.reverse(acc), rest}

  defp take_signatures(
         n,
         <<104, 2, 109, id_length::32, id::binary-size(id_length), 109, sig_length::32,
           sig::binary-size(sig_length), rest::binary>>,
         acc
       )
       when n > 0 do
    take_signatures(n - 1, rest, [{id, sig} | acc])
  end

  defp take_signatures(_, _, _), do: :error

  defp chain(<<106, rest::binary>>), do: {:ok, [], rest}

  defp chain(<<108, count::32, rest::binary>>) when count in 1..@max_chain do
    take_chain(count, rest, [])
  end

  defp chain(_), do: :error

  defp take_chain(0, <<106, rest::binary>>, acc), do: {:ok, Enum.reverse(acc), rest}

  defp take_chain(n, <<109, length::32, link::binary-size(length), rest::binary>>, acc)
       when n > 0 do
    take_chain(n - 1, rest, [link | acc])
  end

  defp take_chain(_, _, _), do: :error
end
