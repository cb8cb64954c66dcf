defmodule DalaOta.E2E.RecordingCrypto do
  @moduledoc """
  A `DalaOta.Crypto` for end-to-end device nodes that delegates to the backend the device would
  choose anyway and remembers the last HKDF it computed, which for a session is the cookie
  (its salt is the session id). Only so a test can prove that the session cookie is dead after
  the session; the agent itself never exposes a cookie.
  """
  @behaviour DalaOta.Crypto

  @doc "Chooses the backend to delegate to, as the agent would (`DalaOta.Crypto.select/1`)."
  def setup do
    case DalaOta.Crypto.select(:auto) do
      {:ok, inner} -> :persistent_term.put({__MODULE__, :inner}, inner)
      {:error, _} -> :persistent_term.put({__MODULE__, :inner}, __MODULE__.Untrusted)
    end
  end

  @doc "The last session's device node name and cookie."
  def last_session do
    {salt, okm} = :persistent_term.get({__MODULE__, :last})

    %{
      device_node: "dala_" <> Base.encode16(salt, case: :lower) <> "@device.invalid",
      cookie: Base.encode16(okm, case: :lower)
    }
  end

  defp inner, do: :persistent_term.get({__MODULE__, :inner}, DalaOta.Crypto.Otp)

  @impl true
  def hkdf_sha256(salt, ikm, info, length) do
    okm = inner().hkdf_sha256(salt, ikm, info, length)
    if byte_size(salt) == 16, do: :persistent_term.put({__MODULE__, :last}, {salt, okm})
    okm
  end

  @impl true
  def ed25519_verify(k, m, s), do: inner().ed25519_verify(k, m, s)
  @impl true
  def sha256(d), do: inner().sha256(d)
  @impl true
  def sha256_init, do: inner().sha256_init()
  @impl true
  def sha256_update(s, d), do: inner().sha256_update(s, d)
  @impl true
  def sha256_final(s), do: inner().sha256_final(s)
  @impl true
  def hmac_sha256(k, d), do: inner().hmac_sha256(k, d)
  @impl true
  def x25519_keypair, do: inner().x25519_keypair()
  @impl true
  def x25519(s, p), do: inner().x25519(s, p)
  @impl true
  def random_bytes(n), do: inner().random_bytes(n)
  @impl true
  def equal(a, b), do: inner().equal(a, b)
end
