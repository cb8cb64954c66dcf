defmodule DalaOta.Crypto do
  @moduledoc """
  The cryptography the agent needs, as a behaviour, and the choice of an implementation that
  can be trusted.

  Dala's device builds ship a stub `crypto` module whose `verify` accepts every signature and
  whose SHA-256 is an MD5. Calling it would make every check meaningless, so the agent never
  trusts an implementation because it loads: `select/1` runs `DalaOta.Crypto.KnownAnswers` on
  each candidate and takes the first that answers every test correctly. The default candidates
  are `DalaOta.Crypto.Otp` (OTP's `:crypto`) and `DalaOta.Crypto.Nif` (native/'s libsodium NIF).
  When none passes, the result is `{:error, :no_trusted_crypto}` and the agent applies nothing.
  """

  @typedoc "An opaque incremental SHA-256 state; each state is used exactly once."
  @type sha256_state :: term

  @doc "Verifies an Ed25519 signature (RFC 8032). Never raises: malformed input is `false`."
  @callback ed25519_verify(public_key :: binary, message :: binary, signature :: binary) ::
              boolean
  @doc "SHA-256 of a binary."
  @callback sha256(binary) :: binary
  @doc "Starts an incremental SHA-256."
  @callback sha256_init() :: sha256_state
  @doc "Feeds bytes; returns the next state and spends the one given."
  @callback sha256_update(sha256_state, binary) :: sha256_state
  @doc "Finishes an incremental SHA-256."
  @callback sha256_final(sha256_state) :: binary
  @doc "HMAC-SHA-256 (RFC 2104)."
  @callback hmac_sha256(key :: binary, data :: binary) :: binary
  @doc "HKDF-SHA-256 (RFC 5869): `length` bytes from salt, input key material and info."
  @callback hkdf_sha256(salt :: binary, ikm :: binary, info :: binary, length :: pos_integer) ::
              binary
  @doc "A fresh X25519 key pair from a CSPRNG: `{public, secret}`."
  @callback x25519_keypair() :: {binary, binary}
  @doc "X25519 (RFC 7748); an all-zero result (a low-order peer key) is `{:error, :weak_key}`."
  @callback x25519(secret :: binary, peer_public :: binary) :: {:ok, binary} | {:error, :weak_key}
  @doc "Bytes from a CSPRNG."
  @callback random_bytes(non_neg_integer) :: binary
  @doc "Compares two binaries in time that does not depend on where they differ."
  @callback equal(binary, binary) :: boolean

  @default_candidates [DalaOta.Crypto.Otp, DalaOta.Crypto.Nif]

  @doc """
  Returns the first candidate that passes every known-answer test, or
  `{:error, :no_trusted_crypto}` with each candidate's failures logged.

  `candidates` is `:auto` (OTP's `:crypto`, then the NIF), one module, or a list of modules
  implementing this behaviour. Each candidate's tests must finish within `deadline_ms`.
  """
  @spec select(:auto | module | [module], pos_integer) ::
          {:ok, module} | {:error, :no_trusted_crypto}
  def select(candidates \\ :auto, deadline_ms \\ 10_000)
  def select(:auto, deadline_ms), do: select(@default_candidates, deadline_ms)
  def select(module, deadline_ms) when is_atom(module), do: select([module], deadline_ms)

  def select(candidates, deadline_ms) when is_list(candidates) do
    Enum.reduce_while(candidates, [], fn candidate, failures ->
      case DalaOta.Crypto.KnownAnswers.run(candidate, deadline_ms) do
        :ok -> {:halt, {:ok, candidate}}
        {:error, failed} -> {:cont, [{candidate, failed} | failures]}
      end
    end)
    |> case do
      {:ok, module} ->
        {:ok, module}

      failures ->
        require Logger

        Logger.error(
          "dala_ota: no trustworthy cryptography, updates are disabled: #{inspect(Enum.reverse(failures))}"
        )

        {:error, :no_trusted_crypto}
    end
  end

  @doc "Lowercase hex, as key ids and the session cookie use."
  @spec hex(binary) :: binary
  def hex(bytes), do: Base.encode16(bytes, case: :lower)

  @doc "HKDF-SHA-256 built on an HMAC function, for implementations without a native one."
  @spec hkdf_with((binary, binary -> binary), binary, binary, binary, pos_integer) :: binary
  def hkdf_with(hmac, salt, ikm, info, length) when length in 1..8160 do
    salt = if salt == "", do: <<0::256>>, else: salt
    prk = hmac.(salt, ikm)

    {okm, _} =
      Enum.reduce(1..div(length + 31, 32), {[], ""}, fn i, {acc, previous} ->
        block = hmac.(prk, <<previous::binary, info::binary, i>>)
        {[acc | block], block}
      end)

    binary_part(IO.iodata_to_binary(okm), 0, length)
  end

  @doc "A constant-time comparison in Erlang, for implementations without a native one."
  @spec constant_time_equal(binary, binary) :: boolean
  def constant_time_equal(a, b) when byte_size(a) != byte_size(b), do: false

  def constant_time_equal(a, b) do
    import Bitwise

    a
    |> :binary.bin_to_list()
    |> Enum.zip(:binary.bin_to_list(b))
    |> Enum.reduce(0, fn {x, y}, acc -> acc ||| bxor(x, y) end) == 0
  end
end
