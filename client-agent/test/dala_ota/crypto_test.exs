defmodule DalaOta.CryptoTest do
  use ExUnit.Case, async: true

  alias DalaOta.Crypto
  alias DalaOta.Crypto.KnownAnswers
  alias DalaOta.Test.{Paths, Vectors}

  # Behaves as Dala's stub crypto does: every signature verifies and "SHA-256" is an MD5.
  defmodule StubCrypto do
    @moduledoc false
    @behaviour DalaOta.Crypto
    def ed25519_verify(_, _, _), do: true
    def sha256(data), do: :erlang.md5(data)
    def sha256_init, do: ""
    def sha256_update(s, d), do: s <> d
    def sha256_final(s), do: :erlang.md5(s)
    def hmac_sha256(k, d), do: :erlang.md5([k, d])
    def hkdf_sha256(_, ikm, _, n), do: binary_part(String.duplicate(:erlang.md5(ikm), 8), 0, n)
    def x25519_keypair, do: {:rand.bytes(32), :rand.bytes(32)}
    def x25519(a, b), do: {:ok, :erlang.md5([a, b])}
    def random_bytes(n), do: :rand.bytes(n)
    def equal(a, b), do: a == b
  end

  # Right answers everywhere except a verifier that accepts a flipped signature bit.
  defmodule LaxVerifier do
    @moduledoc false
    @behaviour DalaOta.Crypto
    defdelegate sha256(d), to: DalaOta.Crypto.Otp
    defdelegate sha256_init(), to: DalaOta.Crypto.Otp
    defdelegate sha256_update(s, d), to: DalaOta.Crypto.Otp
    defdelegate sha256_final(s), to: DalaOta.Crypto.Otp
    defdelegate hmac_sha256(k, d), to: DalaOta.Crypto.Otp
    defdelegate hkdf_sha256(s, i, f, n), to: DalaOta.Crypto.Otp
    defdelegate x25519_keypair(), to: DalaOta.Crypto.Otp
    defdelegate x25519(s, p), to: DalaOta.Crypto.Otp
    defdelegate random_bytes(n), to: DalaOta.Crypto.Otp
    defdelegate equal(a, b), to: DalaOta.Crypto.Otp
    def ed25519_verify(_, _, _), do: true
  end

  defmodule Hangs do
    @moduledoc false
    def ed25519_verify(_, _, _), do: Process.sleep(:infinity)
  end

  test "OTP's crypto passes every known-answer test" do
    assert KnownAnswers.run(DalaOta.Crypto.Otp) == :ok
  end

  @tag :nif
  test "the libsodium NIF passes every known-answer test" do
    assert KnownAnswers.run(DalaOta.Crypto.Nif) == :ok
  end

  test "a stub whose verify accepts everything and whose SHA-256 is MD5 is detected" do
    assert {:error, failed} = KnownAnswers.run(StubCrypto)
    assert :ed25519_bad_signature in failed
    assert :ed25519_bad_message in failed
    assert :sha256 in failed
    assert :hmac_sha256 in failed
    assert :x25519 in failed
  end

  test "a verifier that accepts one bad signature is not trusted" do
    assert KnownAnswers.run(LaxVerifier) ==
             {:error, [:ed25519_bad_signature, :ed25519_bad_message]}
  end

  test "a missing implementation is not trusted" do
    assert KnownAnswers.run(__MODULE__.Missing) == {:error, [:not_loadable]}
  end

  test "an implementation that hangs is not trusted, and the caller goes on" do
    assert KnownAnswers.run(Hangs, 200) == {:error, [:timeout]}
  end

  test "select gives each candidate the deadline it is told" do
    {micros, result} = :timer.tc(fn -> Crypto.select([Hangs, DalaOta.Crypto.Otp], 300) end)
    assert result == {:ok, DalaOta.Crypto.Otp}
    assert micros < 5_000_000
  end

  test "select takes the first trusted candidate and skips untrusted ones" do
    assert Crypto.select([StubCrypto, DalaOta.Crypto.Otp]) == {:ok, DalaOta.Crypto.Otp}
    assert Crypto.select(:auto) == {:ok, DalaOta.Crypto.Otp}
  end

  test "with no trustworthy candidate select refuses" do
    assert Crypto.select([StubCrypto, LaxVerifier]) == {:error, :no_trusted_crypto}
  end

  for backend <- [DalaOta.Crypto.Otp, DalaOta.Crypto.Nif] do
    describe "#{inspect(backend)} against the shared vectors" do
      if backend == DalaOta.Crypto.Nif, do: @describetag(:nif)

      test "Ed25519 over the project's signing input" do
        for [public, message, signature, valid] <-
              Vectors.tsv("signatures/ed25519-signing-input.tsv") do
          assert unquote(backend).ed25519_verify(h(public), h(message), h(signature)) ==
                   (valid == "true"),
                 "vector #{String.slice(signature, 0, 16)}"
        end
      end

      test "key ids are the hex SHA-256 of the raw public key" do
        for [name, id] <- Vectors.tsv("keys/key-ids.tsv") do
          assert DalaOta.Trust.key_id(
                   Vectors.public_key("keys/ed25519-#{name}.pub.pem"),
                   unquote(backend)
                 ) == id
        end
      end

      test "the session cookie derivation, low-order keys refused" do
        for [
              name,
              device_secret,
              device_public,
              server_secret,
              server_public,
              id,
              install,
              device_node,
              server_node,
              expires,
              shared,
              transcript,
              cookie
            ] <-
              Vectors.tsv("session/cookie-derivation.tsv") do
          # The agent's side uses the device secret with the server public key; the vectors
          # give both pairs, and a low-order *device* key must be refused by the server's side.
          session = %{
            id: h(id),
            device_node: device_node,
            server_node: server_node,
            server_key: h(device_public),
            expires_at: String.to_integer(expires)
          }

          transcript_term =
            DalaOta.SessionCookie.transcript(install, h(device_public), %{
              session
              | server_key: h(server_public)
            })

          assert Base.encode16(unquote(backend).sha256(transcript_term), case: :lower) ==
                   transcript,
                 name

          result =
            DalaOta.SessionCookie.derive(
              unquote(backend),
              h(server_secret),
              h(server_public),
              install,
              session
            )

          if cookie == "rejected" do
            assert result == {:error, :weak_key}, name
          else
            # Derived from the server's side: the same transcript, the same cookie.
            assert {:ok, _} = result
            assert unquote(backend).x25519(h(server_secret), h(device_public)) == {:ok, h(shared)}
            device_session = %{session | server_key: h(server_public)}

            assert DalaOta.SessionCookie.derive(
                     unquote(backend),
                     h(device_secret),
                     h(device_public),
                     install,
                     device_session
                   ) == {:ok, cookie},
                   name
          end
        end
      end

      test "incremental SHA-256 equals one-shot over a large input" do
        data = :binary.copy("0123456789abcdef", 100_000)

        state =
          Enum.reduce(
            for(<<chunk::binary-size(65_536) <- binary_part(data, 0, 65_536 * 24)>>, do: chunk),
            unquote(backend).sha256_init(),
            &unquote(backend).sha256_update(&2, &1)
          )

        state =
          unquote(backend).sha256_update(
            state,
            binary_part(data, 65_536 * 24, byte_size(data) - 65_536 * 24)
          )

        assert unquote(backend).sha256_final(state) == :crypto.hash(:sha256, data)
      end
    end
  end

  test "HKDF with an empty salt uses 32 zero bytes (RFC 5869 case 3)" do
    okm =
      Crypto.hkdf_with(
        &DalaOta.Crypto.Otp.hmac_sha256/2,
        "",
        h(String.duplicate("0b", 22)),
        "",
        42
      )

    assert okm ==
             h(
               "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
             )
  end

  test "OTP's backend answers a call crypto refuses with an empty result, never a crash" do
    alias DalaOta.Crypto.Otp
    # Inputs :crypto raises on (not iodata, not a hash state) stand for a broken crypto build.
    assert Otp.sha256(:not_data) == <<>>
    assert Otp.hmac_sha256(:not_a_key, "data") == <<>>
    assert Otp.sha256_update(:not_a_state, "data") == :failed
    assert Otp.sha256_final(Otp.sha256_update(:failed, "data")) == <<>>
    assert Otp.sha256_final(:not_a_state) == <<>>
    refute Otp.equal(Otp.sha256(:not_data), :crypto.hash(:sha256, ""))
  end

  test "constant-time equality" do
    assert Crypto.constant_time_equal("abc", "abc")
    refute Crypto.constant_time_equal("abc", "abd")
    refute Crypto.constant_time_equal("abc", "abcd")
  end

  describe "Dala's stub crypto module on a real node" do
    setup do
      dir = Path.join(System.tmp_dir!(), "dala-ota-stub-#{System.unique_integer([:positive])}")
      File.mkdir_p!(dir)

      {_, 0} =
        System.cmd("erlc", [
          "-o",
          dir,
          Path.join(Paths.project(), "test/support/stub_crypto/crypto.erl")
        ])

      on_exit(fn -> File.rm_rf!(dir) end)
      {:ok, stub: dir}
    end

    @tag :nif
    test "is detected, and the NIF is chosen instead", %{stub: stub} do
      assert run_select(stub, %{}) =~ "SELECTED {ok,'Elixir.DalaOta.Crypto.Nif'} STUB_LOADED true"
    end

    test "with no NIF available, the agent has no trusted crypto", %{stub: stub} do
      assert run_select(stub, %{"DALA_OTA_CRYPTO_NIF" => Path.join(stub, "missing")}) =~
               "SELECTED {error,no_trusted_crypto} STUB_LOADED true"
    end

    defp run_select(stub, env) do
      elixir =
        for app <- [:elixir, :logger],
            do: app |> :code.lib_dir() |> to_string() |> Path.join("ebin")

      agent = :code.which(DalaOta.Crypto) |> to_string() |> Path.dirname()

      script =
        ~s|R = 'Elixir.DalaOta.Crypto':select(auto), | <>
          ~s|Stub = lists:prefix("#{stub}", code:which(crypto)), | <>
          ~s|io:format("SELECTED ~0p STUB_LOADED ~p~n", [R, Stub]), halt().|

      {out, 0} =
        System.cmd(
          "erl",
          ["-noshell", "-pa", stub, "-pa"] ++
            elixir ++ [agent, Paths.native_ebin(), "-eval", script],
          env: Enum.to_list(env),
          stderr_to_stdout: true
        )

      out
    end
  end

  defp h(hex), do: Base.decode16!(hex, case: :mixed)
end
