defmodule DalaOta.SessionCookie do
  @moduledoc """
  Derives a delivery session's distribution cookie (docs/protocol.md) from the device's
  ephemeral X25519 secret and the session the signed check-in answer describes. The server
  derives the same value from its side; the cookie itself never travels.

      shared     = X25519(device secret, server public)           refused if all zero
      transcript = term_to_binary({"dala-ota/session/v1", InstallId, DevicePublic, ServerPublic,
                                   SessionId, DeviceNode, ServerNode, ExpiresAt})
      cookie     = hex(HKDF-SHA256(salt = SessionId, ikm = shared,
                                   info = "dala-ota/v1/dist-cookie" <> <<0>> <> SHA-256(transcript),
                                   length = 32))
  """

  @typedoc "What the check-in answer says about the session, with binary node names."
  @type session :: %{
          id: binary,
          device_node: binary,
          server_node: binary,
          server_key: binary,
          expires_at: integer
        }

  @doc """
  The cookie as lowercase hex (64 characters), or `{:error, :weak_key}` when the server's key
  is a low-order point whose shared secret anyone could compute.
  """
  @spec derive(module, binary, binary, binary, session) :: {:ok, binary} | {:error, :weak_key}
  def derive(crypto, device_secret, device_public, install_id, session) do
    with {:ok, shared} <- crypto.x25519(device_secret, session.server_key) do
      transcript_hash = crypto.sha256(transcript(install_id, device_public, session))
      info = <<"dala-ota/v1/dist-cookie", 0, transcript_hash::binary>>
      {:ok, DalaOta.Crypto.hex(crypto.hkdf_sha256(session.id, shared, info, 32))}
    end
  end

  @doc """
  A fresh random cookie atom, for replacing a cookie that must die, from the trusted backend when
  there is one. Without one no session ever ran, so the cookie only has to differ from anything
  an attacker could know in advance.
  """
  @spec random(module | nil) :: atom
  def random(crypto) do
    bytes = if crypto, do: crypto.random_bytes(32), else: :rand.bytes(32)
    bytes |> DalaOta.Crypto.hex() |> String.to_atom()
  end

  @doc "The transcript bytes both sides hash: only binaries and an integer, which every OTP release encodes alike."
  @spec transcript(binary, binary, session) :: binary
  def transcript(install_id, device_public, session) do
    :erlang.term_to_binary(
      {"dala-ota/session/v1", install_id, device_public, session.server_key, session.id,
       session.device_node, session.server_node, session.expires_at}
    )
  end
end
