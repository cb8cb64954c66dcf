defmodule DalaOta.Crypto.KnownAnswers do
  @moduledoc """
  Known-answer tests that decide whether a `DalaOta.Crypto` implementation may be trusted:
  Ed25519 (RFC 8032, a good signature and two bad ones), SHA-256 (FIPS 180-4, one-shot and
  incremental), HMAC-SHA-256 (RFC 4231), HKDF-SHA-256 (RFC 5869), X25519 (RFC 7748, including a
  low-order key), key generation, random bytes and constant-time equality.

  Dala's stub `crypto` fails the bad-signature tests (its `verify` accepts anything) and the
  SHA-256 tests (its digest is a 16-byte MD5). Each test runs guarded, and the whole run has a
  deadline, so an implementation that raises or hangs is simply not trusted.
  """

  @ed25519_public "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
  @ed25519_message "72"
  @ed25519_signature "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
  @sha256_abc "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
  @hmac_key "Jefe"
  @hmac_data "what do ya want for nothing?"
  @hmac_mac "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
  @hkdf_ikm String.duplicate("0b", 22)
  @hkdf_salt "000102030405060708090a0b0c"
  @hkdf_info "f0f1f2f3f4f5f6f7f8f9"
  @hkdf_okm "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
  @x25519_secret "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
  @x25519_peer "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
  @x25519_shared "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

  @deadline_ms 10_000

  @doc """
  Runs every test on `module`. Returns `:ok`, or `{:error, failed}` with the names of the
  tests that gave a wrong answer, raised, or did not finish within the deadline.
  """
  @spec run(module, pos_integer) :: :ok | {:error, [atom]}
  def run(module, deadline_ms \\ @deadline_ms) when is_atom(module) do
    if Code.ensure_loaded?(module) do
      run_isolated(module, deadline_ms)
    else
      {:error, [:not_loadable]}
    end
  end

  @doc "The names of the tests, in the order they run."
  @spec names() :: [atom]
  def names, do: Enum.map(tests(), &elem(&1, 0))

  # The tests run in their own process so that a stub that crashes the caller, blocks or
  # leaves messages behind cannot affect the agent.
  defp run_isolated(module, deadline_ms) do
    parent = self()
    ref = make_ref()

    {pid, monitor} =
      spawn_monitor(fn ->
        failed = for {name, test} <- tests(), not passes?(test, module), do: name
        send(parent, {ref, failed})
      end)

    receive do
      {^ref, []} ->
        Process.demonitor(monitor, [:flush])
        :ok

      {^ref, failed} ->
        Process.demonitor(monitor, [:flush])
        {:error, failed}

      {:DOWN, ^monitor, :process, ^pid, reason} ->
        {:error, [{:crashed, reason}]}
    after
      deadline_ms ->
        Process.exit(pid, :kill)
        Process.demonitor(monitor, [:flush])
        {:error, [:timeout]}
    end
  end

  defp passes?(test, module) do
    test.(module) == true
  rescue
    _ -> false
  catch
    _, _ -> false
  end

  defp tests do
    [
      {:ed25519_good,
       fn c ->
         c.ed25519_verify(h(@ed25519_public), h(@ed25519_message), h(@ed25519_signature)) == true
       end},
      {:ed25519_bad_signature,
       fn c ->
         c.ed25519_verify(h(@ed25519_public), h(@ed25519_message), flip(h(@ed25519_signature))) ==
           false
       end},
      {:ed25519_bad_message,
       fn c -> c.ed25519_verify(h(@ed25519_public), <<0x73>>, h(@ed25519_signature)) == false end},
      {:sha256, fn c -> c.sha256("abc") == h(@sha256_abc) end},
      {:sha256_incremental,
       fn c ->
         state = c.sha256_update(c.sha256_update(c.sha256_init(), "a"), "bc")
         c.sha256_final(state) == h(@sha256_abc)
       end},
      {:hmac_sha256, fn c -> c.hmac_sha256(@hmac_key, @hmac_data) == h(@hmac_mac) end},
      {:hkdf_sha256,
       fn c -> c.hkdf_sha256(h(@hkdf_salt), h(@hkdf_ikm), h(@hkdf_info), 42) == h(@hkdf_okm) end},
      {:x25519,
       fn c -> c.x25519(h(@x25519_secret), h(@x25519_peer)) == {:ok, h(@x25519_shared)} end},
      {:x25519_low_order,
       fn c -> c.x25519(h(@x25519_secret), <<0::256>>) == {:error, :weak_key} end},
      {:x25519_keypair,
       fn c ->
         {public, secret} = c.x25519_keypair()
         byte_size(public) == 32 and byte_size(secret) == 32 and public != secret
       end},
      {:random_bytes,
       fn c ->
         a = c.random_bytes(32)
         byte_size(a) == 32 and a != c.random_bytes(32)
       end},
      {:equal,
       fn c ->
         c.equal("same bytes", "same bytes") == true and
           c.equal("same bytes", "same bytez") == false
       end}
    ]
  end

  defp h(hex), do: Base.decode16!(hex, case: :mixed)

  defp flip(<<first, rest::binary>>), do: <<Bitwise.bxor(first, 1), rest::binary>>
end
