defmodule DalaOta.Crypto.Nif do
  @moduledoc """
  `DalaOta.Crypto` on `:dala_ota_crypto`, native/'s libsodium NIF (docs/native.md), for device
  builds whose `crypto` is missing or a stub. Without the NIF every call of that module answers
  `{:error, :nif_not_loaded}`, which fails the known-answer tests, so an absent NIF is simply
  not selected.
  """
  @behaviour DalaOta.Crypto

  @doc "Whether `:dala_ota_crypto` is loadable and its NIF is loaded."
  @spec available?() :: boolean
  def available? do
    Code.ensure_loaded?(:dala_ota_crypto) and
      guarded(fn -> :dala_ota_crypto.nif_status() end) == :ok
  end

  @impl true
  def ed25519_verify(public_key, message, signature)
      when byte_size(public_key) == 32 and byte_size(signature) == 64 and is_binary(message) do
    guarded(fn -> :dala_ota_crypto.ed25519_verify(public_key, message, signature) end) == true
  end

  def ed25519_verify(_, _, _), do: false

  @impl true
  def sha256(data), do: :dala_ota_crypto.sha256(data)

  @impl true
  def sha256_init, do: :dala_ota_crypto.sha256_init()

  @impl true
  def sha256_update(state, data), do: :dala_ota_crypto.sha256_update(state, data)

  @impl true
  def sha256_final(state), do: :dala_ota_crypto.sha256_final(state)

  @impl true
  def hmac_sha256(key, data), do: :dala_ota_crypto.hmac_sha256(key, data)

  @impl true
  def hkdf_sha256(salt, ikm, info, length),
    do: :dala_ota_crypto.hkdf_sha256(salt, ikm, info, length)

  @impl true
  def x25519_keypair, do: :dala_ota_crypto.x25519_keypair()

  @impl true
  def x25519(secret, peer) when byte_size(secret) == 32 and byte_size(peer) == 32 do
    case guarded(fn -> :dala_ota_crypto.x25519(secret, peer) end) do
      <<_::binary-size(32)>> = shared -> {:ok, shared}
      _ -> {:error, :weak_key}
    end
  end

  def x25519(_, _), do: {:error, :weak_key}

  @impl true
  def random_bytes(n), do: :dala_ota_crypto.random_bytes(n)

  @impl true
  def equal(a, b), do: guarded(fn -> :dala_ota_crypto.equal(a, b) end) == true

  defp guarded(fun) do
    fun.()
  rescue
    _ -> {:error, :badarg}
  catch
    _, _ -> {:error, :badarg}
  end
end
