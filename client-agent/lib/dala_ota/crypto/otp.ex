defmodule DalaOta.Crypto.Otp do
  @moduledoc """
  `DalaOta.Crypto` on OTP's `:crypto` (OpenSSL). Every call but `random_bytes/1` is guarded, so
  a missing or broken `crypto` application gives wrong answers the known-answer tests catch,
  never a crash: a hash or MAC that fails is empty (it matches no real one), a key pair that
  fails is two empty keys (every peer refuses them). `random_bytes/1` raises instead, because
  no stand-in for randomness is safe; the check that called it fails with it.
  OTP 25 has no HKDF in `:crypto`, so HKDF is built on its HMAC.
  """
  @behaviour DalaOta.Crypto

  @impl true
  def ed25519_verify(public_key, message, signature)
      when byte_size(public_key) == 32 and byte_size(signature) == 64 and is_binary(message) do
    :crypto.verify(:eddsa, :none, message, signature, [public_key, :ed25519]) == true
  rescue
    _ -> false
  catch
    _, _ -> false
  end

  def ed25519_verify(_, _, _), do: false

  @impl true
  def sha256(data), do: guarded(fn -> :crypto.hash(:sha256, data) end, <<>>)

  @impl true
  def sha256_init, do: guarded(fn -> :crypto.hash_init(:sha256) end, :failed)

  @impl true
  def sha256_update(:failed, _data), do: :failed
  def sha256_update(state, data), do: guarded(fn -> :crypto.hash_update(state, data) end, :failed)

  @impl true
  def sha256_final(:failed), do: <<>>
  def sha256_final(state), do: guarded(fn -> :crypto.hash_final(state) end, <<>>)

  @impl true
  def hmac_sha256(key, data), do: guarded(fn -> :crypto.mac(:hmac, :sha256, key, data) end, <<>>)

  @impl true
  def hkdf_sha256(salt, ikm, info, length),
    do: DalaOta.Crypto.hkdf_with(&hmac_sha256/2, salt, ikm, info, length)

  @impl true
  def x25519_keypair, do: guarded(fn -> :crypto.generate_key(:ecdh, :x25519) end, {<<>>, <<>>})

  @impl true
  def x25519(secret, peer) when byte_size(secret) == 32 and byte_size(peer) == 32 do
    shared = :crypto.compute_key(:ecdh, peer, secret, :x25519)
    if shared == <<0::256>>, do: {:error, :weak_key}, else: {:ok, shared}
  rescue
    # OpenSSL itself refuses some low-order points.
    _ -> {:error, :weak_key}
  catch
    _, _ -> {:error, :weak_key}
  end

  def x25519(_, _), do: {:error, :weak_key}

  @impl true
  def random_bytes(n), do: :crypto.strong_rand_bytes(n)

  @impl true
  def equal(a, b), do: DalaOta.Crypto.constant_time_equal(a, b)

  defp guarded(fun, failed) do
    fun.()
  rescue
    _ -> failed
  catch
    _, _ -> failed
  end
end
