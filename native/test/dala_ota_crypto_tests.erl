%% @doc The dala_ota_crypto NIF in a real BEAM node: published known-answer vectors (RFC 8032,
%% RFC 7748, RFC 4231, RFC 5869, FIPS 180-4), the project's shared vectors, argument checking,
%% single-use SHA-256 states, the dirty-scheduler path, hot upgrade, and 10,000 random calls.
%%
%% Environment: DALA_OTA_TEST_VECTORS names the copy of test-vectors/ to read;
%% DALA_OTA_FUZZ_SEED (three integers, "1,2,3") replays a random run.
-module(dala_ota_crypto_tests).

%% Every *_test/0 and *_test_/0 is run by dala_ota_crypto_harness, as EUnit would run them.
-compile([export_all, nowarn_export_all]).

-include("dala_ota_crypto_assert.hrl").

-define(M, dala_ota_crypto).

%% ---------------------------------------------------------------------------------------------
%% Helpers

hex(Hex) -> binary:decode_hex(iolist_to_binary(Hex)).

lower_hex(Bin) -> string:lowercase(binary_to_list(binary:encode_hex(Bin))).

seq(From, To) -> list_to_binary(lists:seq(From, To)).

vectors_dir() ->
    case os:getenv("DALA_OTA_TEST_VECTORS") of
        false -> error(no_test_vectors_dir);
        Dir -> Dir
    end.

read_tsv(RelPath) ->
    {ok, Text} = file:read_file(filename:join(vectors_dir(), RelPath)),
    Lines = binary:split(Text, [<<"\n">>, <<"\r\n">>], [global]),
    [binary:split(L, <<"\t">>, [global])
     || L <- Lines, L =/= <<>>, binary:first(L) =/= $#].

flip_bit(Bin, ByteIndex) ->
    <<Pre:ByteIndex/binary, B, Post/binary>> = Bin,
    <<Pre/binary, (B bxor 1), Post/binary>>.

raises_badarg(Fun) ->
    try Fun() of
        Result -> {returned, Result}
    catch
        error:badarg -> badarg
    end.

nif_test() ->
    ?assertEqual(ok, ?M:nif_status()).

%% ---------------------------------------------------------------------------------------------
%% Ed25519: RFC 8032 section 7.1 (TEST 1, 2, 3 and SHA(abc)); {Name, PublicKey, Message, Sig}

rfc8032() ->
    [{"TEST 1",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
     {"TEST 2",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
      "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
     {"TEST 3",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
      "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
     {"TEST SHA(abc)",
      "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
      "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
      "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"}].

ed25519_rfc8032_valid_test_() ->
    [{Name, ?_assertEqual(true, ?M:ed25519_verify(hex(Pk), hex(Msg), hex(Sig)))}
     || {Name, Pk, Msg, Sig} <- rfc8032()].

ed25519_rfc8032_tampered_test_() ->
    lists:append(
      [begin
           P = hex(Pk), M = hex(Msg), S = hex(Sig),
           [{Name ++ " R bit flipped", ?_assertEqual(false, ?M:ed25519_verify(P, M, flip_bit(S, 3)))},
            {Name ++ " S bit flipped", ?_assertEqual(false, ?M:ed25519_verify(P, M, flip_bit(S, 40)))},
            {Name ++ " key bit flipped", ?_assertEqual(false, ?M:ed25519_verify(flip_bit(P, 0), M, S))},
            {Name ++ " message extended", ?_assertEqual(false, ?M:ed25519_verify(P, <<M/binary, 0>>, S))},
            {Name ++ " S + L (malleated)", ?_assertEqual(false, ?M:ed25519_verify(P, M, malleate(S)))}]
       end || {Name, Pk, Msg, Sig} <- rfc8032()]).

%% The same signature with S replaced by S + L, which a strict verifier must refuse.
malleate(<<R:32/binary, S:256/little>>) ->
    L = (1 bsl 252) + 27742317777372353535851937790883648493,
    <<R/binary, (S + L):256/little>>.

ed25519_small_order_key_test() ->
    {_, _, Msg, Sig} = hd(rfc8032()),
    Identity = <<1, 0:248>>,
    ?assertEqual(false, ?M:ed25519_verify(Identity, hex(Msg), hex(Sig))),
    ?assertEqual(false, ?M:ed25519_verify(<<0:256>>, hex(Msg), hex(Sig))).

ed25519_large_message_test_() ->
    {timeout, 120,
     fun() ->
             {_, Pk, _, _} = hd(rfc8032()),
             Big = binary:copy(<<"x">>, 3 * 1024 * 1024),
             ?assertEqual(false, ?M:ed25519_verify(hex(Pk), Big, <<0:512>>))
     end}.

%% The project's vectors over its own signing input: every true row verifies, every false fails.
ed25519_shared_vectors_test_() ->
    Rows = read_tsv("signatures/ed25519-signing-input.tsv"),
    Valid = [V || [_, _, _, V] <- Rows],
    [{"shared vectors hold both verdicts",
      ?_assert(lists:member(<<"true">>, Valid) andalso lists:member(<<"false">>, Valid))}
     | [{lists:flatten(io_lib:format("shared vector row ~b (~s)", [N, V])),
         ?_assertEqual(binary_to_existing_atom(V, utf8),
                       ?M:ed25519_verify(hex(Pk), hex(Msg), hex(Sig)))}
        || {N, [Pk, Msg, Sig, V]} <- lists:zip(lists:seq(1, length(Rows)), Rows)]].

%% Key id = lowercase hex SHA-256 of the raw key, the last 32 bytes of the SubjectPublicKeyInfo.
key_ids_test_() ->
    Rows = read_tsv("keys/key-ids.tsv"),
    [{"key-ids.tsv is not empty", ?_assert(length(Rows) >= 1)}
     | [{"key id of " ++ binary_to_list(Name),
         fun() ->
                 Der = pem_body(filename:join([vectors_dir(), "keys",
                                               "ed25519-" ++ binary_to_list(Name) ++ ".pub.pem"])),
                 ?assertMatch(<<16#30, 16#2a, 16#30, 16#05, 16#06, 16#03, 16#2b, 16#65, 16#70,
                                16#03, 16#21, 16#00, _:32/binary>>, Der),
                 Raw = binary:part(Der, byte_size(Der) - 32, 32),
                 ?assertEqual(binary_to_list(Id), lower_hex(?M:sha256(Raw)))
         end}
        || [Name, Id] <- Rows]].

%% The session cookie as the agent derives it on a device without :crypto (docs/protocol.md):
%% X25519 with the server's key, the transcript's SHA-256, then HKDF-SHA256. Rows whose device
%% key is a low-order point must be refused on both sides.
session_cookie_shared_vectors_test_() ->
    Rows = read_tsv("session/cookie-derivation.tsv"),
    [{"session vectors hold both verdicts",
      ?_assert(lists:any(fun(R) -> lists:last(R) =:= <<"rejected">> end, Rows)
               andalso lists:any(fun(R) -> lists:last(R) =/= <<"rejected">> end, Rows))}
     | [{"session vector " ++ binary_to_list(Name), fun() -> session_row(Row) end}
        || [Name | _] = Row <- Rows]].

session_row([_Name, DeviceSecret, DevicePublic, ServerSecret, ServerPublic, SessionId, InstallId, DeviceNode,
             ServerNode, ExpiresAt, Shared, TranscriptSha, Cookie]) ->
    case Cookie of
        <<"rejected">> ->
            ?assertEqual({error, weak_key}, ?M:x25519(hex(ServerSecret), hex(DevicePublic)));
        _ ->
            FromServer = ?M:x25519(hex(ServerSecret), hex(DevicePublic)),
            FromDevice = ?M:x25519(hex(DeviceSecret), hex(ServerPublic)),
            ?assertEqual(hex(Shared), FromServer),
            ?assertEqual(FromServer, FromDevice),
            Transcript = term_to_binary({<<"dala-ota/session/v1">>, InstallId, hex(DevicePublic),
                                         hex(ServerPublic), hex(SessionId), DeviceNode, ServerNode,
                                         binary_to_integer(ExpiresAt)}),
            Hash = ?M:sha256(Transcript),
            ?assertEqual(hex(TranscriptSha), Hash),
            Info = <<"dala-ota/v1/dist-cookie", 0, Hash/binary>>,
            ?assertEqual(binary_to_list(Cookie),
                         lower_hex(?M:hkdf_sha256(hex(SessionId), FromDevice, Info, 32)))
    end.

pem_body(File) ->
    {ok, Text} = file:read_file(File),
    Lines = binary:split(Text, [<<"\n">>, <<"\r\n">>], [global]),
    base64:decode(iolist_to_binary([L || L <- Lines, L =/= <<>>, binary:first(L) =/= $-])).

%% ---------------------------------------------------------------------------------------------
%% X25519: RFC 7748 sections 5.2 and 6.1

-define(BASE, <<9, 0:248>>).

x25519_rfc7748_5_2_test_() ->
    V1 = {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
          "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
          "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
    V2 = {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
          "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
          "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
    [{"vector " ++ integer_to_list(N), ?_assertEqual(hex(Out), ?M:x25519(hex(K), hex(U)))}
     || {N, {K, U, Out}} <- [{1, V1}, {2, V2}]]
        ++ [{"u's top bit is ignored",
             ?_assertEqual(hex(element(3, V2)),
                           ?M:x25519(hex(element(1, V2)),
                                     hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a413")))}].

x25519_rfc7748_iterated_test_() ->
    Iterate = fun Loop(K, _U, 0) -> K;
                  Loop(K, U, N) -> Loop(?M:x25519(K, U), K, N - 1)
              end,
    [{"1 iteration",
      ?_assertEqual(hex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"),
                    Iterate(?BASE, ?BASE, 1))},
     {timeout, 120,
      {"1,000 iterations",
       ?_assertEqual(hex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"),
                     Iterate(?BASE, ?BASE, 1000))}}].

x25519_rfc7748_6_1_test_() ->
    A = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
    APub = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"),
    B = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"),
    BPub = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"),
    K = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"),
    [{"Alice's public key", ?_assertEqual(APub, ?M:x25519(A, ?BASE))},
     {"Bob's public key", ?_assertEqual(BPub, ?M:x25519(B, ?BASE))},
     {"Alice's shared secret", ?_assertEqual(K, ?M:x25519(A, BPub))},
     {"Bob's shared secret", ?_assertEqual(K, ?M:x25519(B, APub))}].

x25519_keypair_test() ->
    {APub, ASec} = ?M:x25519_keypair(),
    {BPub, BSec} = ?M:x25519_keypair(),
    ?assertMatch({<<_:32/binary>>, <<_:32/binary>>}, {APub, ASec}),
    ?assertEqual(APub, ?M:x25519(ASec, ?BASE)),
    ?assertEqual(BPub, ?M:x25519(BSec, ?BASE)),
    ?assertNotEqual(ASec, BSec),
    ?assertEqual(?M:x25519(ASec, BPub), ?M:x25519(BSec, APub)).

%% Small-order peer keys give an all-zero secret, which must never be used as a key.
x25519_weak_key_test_() ->
    {_, Sec} = ?M:x25519_keypair(),
    [{Name, ?_assertEqual({error, weak_key}, ?M:x25519(Sec, hex(U)))}
     || {Name, U} <- [{"u = 0", "0000000000000000000000000000000000000000000000000000000000000000"},
                      {"u = 1", "0100000000000000000000000000000000000000000000000000000000000000"},
                      {"u = p - 1", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
                      {"order 8", "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"}]].

%% ---------------------------------------------------------------------------------------------
%% SHA-256: FIPS 180-4 examples, one-shot and incremental

-define(SHA_ABC, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad").
-define(SHA_448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1").
-define(SHA_MILLION_A, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0").
-define(MSG_448, <<"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq">>).

sha256_fips_test_() ->
    [{"abc", ?_assertEqual(hex(?SHA_ABC), ?M:sha256(<<"abc">>))},
     {"448-bit message", ?_assertEqual(hex(?SHA_448), ?M:sha256(?MSG_448))},
     {"empty", ?_assertEqual(hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                             ?M:sha256(<<>>))},
     {timeout, 60,
      {"one million 'a', one call",
       ?_assertEqual(hex(?SHA_MILLION_A), ?M:sha256(binary:copy(<<"a">>, 1000000)))}}].

sha256_incremental_test_() ->
    [{"abc in single bytes",
      ?_assertEqual(hex(?SHA_ABC), feed([<<"a">>, <<"b">>, <<"c">>]))},
     {"448-bit message split at a block edge",
      ?_assertEqual(hex(?SHA_448), feed([binary:part(?MSG_448, 0, 55), binary:part(?MSG_448, 55, 1)]))},
     {"nothing fed", ?_assertEqual(?M:sha256(<<>>), feed([]))},
     {timeout, 60,
      {"one million 'a' in uneven chunks, one above the dirty threshold",
       ?_assertEqual(hex(?SHA_MILLION_A), feed(million_a_chunks()))}}].

million_a_chunks() ->
    Sizes = [1, 63, 64, 65, 127, 1000, 4096, 32768, 250000],
    Fixed = [binary:copy(<<"a">>, N) || N <- Sizes],
    Rest = 1000000 - lists:sum(Sizes),
    Fixed ++ [binary:copy(<<"a">>, Rest)].

feed(Chunks) ->
    State = lists:foldl(fun(Chunk, S) -> ?M:sha256_update(S, Chunk) end, ?M:sha256_init(), Chunks),
    ?M:sha256_final(State).

%% Each state is good for one update or final; a spent one raises badarg and nothing else.
sha256_state_single_use_test() ->
    S0 = ?M:sha256_init(),
    S1 = ?M:sha256_update(S0, <<"ab">>),
    ?assertEqual(badarg, raises_badarg(fun() -> ?M:sha256_update(S0, <<"x">>) end)),
    ?assertEqual(badarg, raises_badarg(fun() -> ?M:sha256_final(S0) end)),
    %% A bad call must not spend the state it was given.
    ?assertEqual(badarg, raises_badarg(fun() -> ?M:sha256_update(S1, not_a_binary) end)),
    S2 = ?M:sha256_update(S1, <<"c">>),
    ?assertEqual(hex(?SHA_ABC), ?M:sha256_final(S2)),
    ?assertEqual(badarg, raises_badarg(fun() -> ?M:sha256_final(S2) end)),
    ?assertEqual(badarg, raises_badarg(fun() -> ?M:sha256_update(S2, <<"d">>) end)).

sha256_state_foreign_terms_test_() ->
    [?_assertEqual(badarg, raises_badarg(fun() -> ?M:sha256_update(T, <<"x">>) end))
     || T <- [make_ref(), self(), <<"state">>, 0, [], {state}]]
        ++ [?_assertEqual(badarg, raises_badarg(fun() -> ?M:sha256_final(make_ref()) end))].

%% Many processes race to spend one state: exactly one wins, the rest get badarg.
sha256_state_race_test() ->
    S = ?M:sha256_update(?M:sha256_init(), <<"a">>),
    Parent = self(),
    Pids = [spawn(fun() ->
                          receive go -> ok end,
                          Parent ! {self(), raises_badarg(fun() -> ?M:sha256_update(S, <<"bc">>) end)}
                  end) || _ <- lists:seq(1, 32)],
    [P ! go || P <- Pids],
    Results = [receive {P, R} -> R after 10000 -> timeout end || P <- Pids],
    {Won, Lost} = lists:partition(fun({returned, _}) -> true; (_) -> false end, Results),
    ?assertMatch([{returned, _}], Won),
    ?assertEqual(lists:duplicate(31, badarg), Lost),
    [{returned, Next}] = Won,
    ?assertEqual(hex(?SHA_ABC), ?M:sha256_final(Next)).

%% Large inputs must run on a dirty CPU scheduler, not stall a normal one: while four large
%% digests are computed, the dirty CPU schedulers together are busy for at least half the time.
dirty_scheduler_test_() ->
    {timeout, 120,
     fun() ->
             Big = binary:copy(<<"a">>, 16 * 1024 * 1024),
             _ = erlang:system_flag(scheduler_wall_time, true),
             Before = scheduler_times(),
             _ = [?M:sha256(Big) || _ <- lists:seq(1, 4)],
             After = scheduler_times(),
             _ = erlang:system_flag(scheduler_wall_time, false),
             {DirtyBusy, Wall} = dirty_busy(Before, After),
             ?assert(DirtyBusy * 2 >= Wall)
     end}.

scheduler_times() ->
    lists:sort(erlang:statistics(scheduler_wall_time_all)).

%% Both in the statistic's own (unspecified) unit: summed active time of the dirty CPU
%% schedulers, and the wall time scheduler 1 saw in the same window.
dirty_busy(Before, After) ->
    Normal = erlang:system_info(schedulers),
    Dirty = erlang:system_info(dirty_cpu_schedulers),
    Deltas = [{Id, A1 - A0, T1 - T0} || {{Id, A0, T0}, {Id, A1, T1}} <- lists:zip(Before, After)],
    Busy = lists:sum([A || {Id, A, _} <- Deltas, Id > Normal, Id =< Normal + Dirty]),
    [Wall] = [T || {1, _, T} <- Deltas],
    {Busy, Wall}.

%% ---------------------------------------------------------------------------------------------
%% HMAC-SHA256: RFC 4231 test cases 1-4, 6, 7

hmac_rfc4231_test_() ->
    Cases =
        [{1, binary:copy(<<16#0b>>, 20), <<"Hi There">>,
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
         {2, <<"Jefe">>, <<"what do ya want for nothing?">>,
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
         {3, binary:copy(<<16#aa>>, 20), binary:copy(<<16#dd>>, 50),
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
         {4, seq(1, 25), binary:copy(<<16#cd>>, 50),
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
         {6, binary:copy(<<16#aa>>, 131), <<"Test Using Larger Than Block-Size Key - Hash Key First">>,
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
         {7, binary:copy(<<16#aa>>, 131),
          <<"This is a test using a larger than block-size key and a larger than block-size data. "
            "The key needs to be hashed before being used by the HMAC algorithm.">>,
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"}],
    [{"test case " ++ integer_to_list(N), ?_assertEqual(hex(Mac), ?M:hmac_sha256(Key, Data))}
     || {N, Key, Data, Mac} <- Cases].

hmac_large_data_test() ->
    Data = binary:copy(<<"z">>, 5 * 1024 * 1024),
    Mac = ?M:hmac_sha256(<<"k">>, Data),
    ?assertEqual(32, byte_size(Mac)),
    ?assertEqual(Mac, ?M:hmac_sha256(<<"k">>, Data)),
    ?assertNotEqual(Mac, ?M:hmac_sha256(<<"K">>, Data)).

%% ---------------------------------------------------------------------------------------------
%% HKDF-SHA256: RFC 5869 test cases 1-3

hkdf_rfc5869_test_() ->
    Cases =
        [{1, seq(0, 12), binary:copy(<<16#0b>>, 22), seq(16#f0, 16#f9), 42,
          "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
         {2, seq(16#60, 16#af), seq(0, 16#4f), seq(16#b0, 16#ff), 82,
          "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
          "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
          "cc30c58179ec3e87c14c01d5c1f3434f1d87"},
         {3, <<>>, binary:copy(<<16#0b>>, 22), <<>>, 42,
          "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"}],
    [{"test case " ++ integer_to_list(N), ?_assertEqual(hex(Okm), ?M:hkdf_sha256(Salt, Ikm, Info, L))}
     || {N, Salt, Ikm, Info, L, Okm} <- Cases].

hkdf_lengths_test_() ->
    Full = ?M:hkdf_sha256(<<"salt">>, <<"ikm">>, <<"info">>, 8160),
    [{"maximum length", ?_assertEqual(8160, byte_size(Full))},
     {"shorter outputs are prefixes",
      ?_assertEqual([binary:part(Full, 0, L) || L <- [1, 31, 32, 33, 100]],
                    [?M:hkdf_sha256(<<"salt">>, <<"ikm">>, <<"info">>, L) || L <- [1, 31, 32, 33, 100]])},
     {"large info on the dirty path",
      ?_assertEqual(64, byte_size(?M:hkdf_sha256(<<>>, <<"ikm">>, binary:copy(<<"i">>, 100000), 64)))}].

%% ---------------------------------------------------------------------------------------------
%% Random bytes and constant-time comparison

random_bytes_test_() ->
    [{"sizes", ?_assertEqual([0, 1, 32, 65536],
                             [byte_size(?M:random_bytes(N)) || N <- [0, 1, 32, 65536]])},
     {"two draws differ", ?_assertNotEqual(?M:random_bytes(32), ?M:random_bytes(32))},
     {"not all zero", ?_assertNotEqual(<<0:(64 * 8)>>, ?M:random_bytes(64))}].

equal_test_() ->
    Big = binary:copy(<<7>>, 1024 * 1024),
    [?_assertEqual(true, ?M:equal(<<"abc">>, <<"abc">>)),
     ?_assertEqual(true, ?M:equal(<<>>, <<>>)),
     ?_assertEqual(false, ?M:equal(<<"abc">>, <<"abd">>)),
     ?_assertEqual(false, ?M:equal(<<"abc">>, <<"ab">>)),
     ?_assertEqual(false, ?M:equal(<<>>, <<0>>)),
     ?_assertEqual(true, ?M:equal(Big, binary:copy(Big))),
     ?_assertEqual(false, ?M:equal(Big, flip_bit(Big, byte_size(Big) - 1))),
     %% A sub-binary is an ordinary binary to the NIF.
     ?_assertEqual(true, ?M:equal(binary:part(<<"xabcx">>, 1, 3), <<"abc">>))].

%% ---------------------------------------------------------------------------------------------
%% Bad arguments: every one raises badarg

bad_args_test_() ->
    K32 = <<0:256>>,
    S64 = <<0:512>>,
    Bits = <<1:7>>,
    Huge = 1 bsl 70,
    Cases =
        [{ed25519_verify, [<<0:248>>, <<>>, S64]},
         {ed25519_verify, [<<0:264>>, <<>>, S64]},
         {ed25519_verify, [K32, <<>>, <<0:504>>]},
         {ed25519_verify, [K32, <<>>, <<0:520>>]},
         {ed25519_verify, [K32, "message", S64]},
         {ed25519_verify, [K32, Bits, S64]},
         {ed25519_verify, [binary_to_list(K32), <<>>, S64]},
         {ed25519_verify, [K32, <<>>, undefined]},
         {x25519, [<<0:248>>, K32]},
         {x25519, [K32, <<0:264>>]},
         {x25519, [K32, 9]},
         {x25519, [Bits, K32]},
         {sha256, ["abc"]},
         {sha256, [abc]},
         {sha256, [Bits]},
         {sha256, [Huge]},
         {sha256_update, [?M:sha256_init(), "abc"]},
         {sha256_update, [?M:sha256_init(), Bits]},
         {sha256_update, [<<"abc">>, <<"abc">>]},
         {sha256_final, [undefined]},
         {hmac_sha256, ["key", <<>>]},
         {hmac_sha256, [<<>>, data]},
         {hmac_sha256, [<<>>, Bits]},
         {hkdf_sha256, [<<>>, <<>>, <<>>, 0]},
         {hkdf_sha256, [<<>>, <<>>, <<>>, -1]},
         {hkdf_sha256, [<<>>, <<>>, <<>>, 8161]},
         {hkdf_sha256, [<<>>, <<>>, <<>>, Huge]},
         {hkdf_sha256, [<<>>, <<>>, <<>>, 32.0]},
         {hkdf_sha256, [<<>>, <<>>, <<>>, "32"]},
         {hkdf_sha256, [salt, <<>>, <<>>, 32]},
         {hkdf_sha256, [<<>>, Bits, <<>>, 32]},
         {hkdf_sha256, [<<>>, <<>>, [], 32]},
         {random_bytes, [-1]},
         {random_bytes, [65537]},
         {random_bytes, [1 bsl 62]},
         {random_bytes, [Huge]},
         {random_bytes, [-Huge]},
         {random_bytes, [1.0]},
         {random_bytes, [ten]},
         {equal, [<<"a">>, "a"]},
         {equal, ["a", <<"a">>]},
         {equal, [Bits, Bits]}],
    [{lists:flatten(io_lib:format("~s/~b with ~0p", [F, length(A), A])),
      ?_assertEqual(badarg, raises_badarg(fun() -> apply(?M, F, A) end))}
     || {F, A} <- Cases].

%% ---------------------------------------------------------------------------------------------
%% 10,000 random calls with arguments of random types and sizes

random_calls_test_() ->
    {timeout, 600,
     fun() ->
             Seed = fuzz_seed(),
             io:format(user, "~nrandom calls: seed ~w (DALA_OTA_FUZZ_SEED to replay)~n", [Seed]),
             rand:seed(exsss, Seed),
             Outcomes = [random_call() || _ <- lists:seq(1, 10000)],
             Unexpected = [O || {unexpected, _} = O <- Outcomes],
             ?assertEqual([], Unexpected),
             ?assertEqual(10000, length(Outcomes)),
             %% Both kinds of outcome occurred, so the run exercised more than argument checks.
             ?assert(lists:member(ok, Outcomes)),
             ?assert(lists:member(badarg, Outcomes)),
             %% Still answering, and still right.
             ?assertEqual(ok, ?M:nif_status()),
             ?assertEqual(hex(?SHA_ABC), ?M:sha256(<<"abc">>))
     end}.

fuzz_seed() ->
    case os:getenv("DALA_OTA_FUZZ_SEED") of
        Text when is_list(Text), Text =/= "" ->
            list_to_tuple([list_to_integer(string:trim(T)) || T <- string:split(Text, ",", all)]);
        _ ->
            <<A:32, B:32, C:32>> = ?M:random_bytes(12),
            {A, B, C}
    end.

fuzz_functions() ->
    [{ed25519_verify, 3}, {x25519_keypair, 0}, {x25519, 2}, {sha256, 1}, {sha256_init, 0},
     {sha256_update, 2}, {sha256_final, 1}, {hmac_sha256, 2}, {hkdf_sha256, 4},
     {random_bytes, 1}, {equal, 2}, {nif_status, 0}].

random_call() ->
    Funs = fuzz_functions(),
    {F, Arity} = lists:nth(rand:uniform(length(Funs)), Funs),
    Args = [random_term() || _ <- lists:seq(1, Arity)],
    try apply(?M, F, Args) of
        Result ->
            case plausible(F, Args, Result) of
                true -> ok;
                false -> {unexpected, {F, Args, {returned, Result}}}
            end
    catch
        error:badarg -> badarg;
        Class:Reason -> {unexpected, {F, Args, {Class, Reason}}}
    end.

%% What a successful call may return, whatever its arguments were.
plausible(ed25519_verify, _, R) -> is_boolean(R);
plausible(x25519_keypair, _, {P, S}) -> is_key(P) andalso is_key(S);
plausible(x25519_keypair, _, _) -> false;
plausible(x25519, _, R) -> is_key(R) orelse R =:= {error, weak_key};
plausible(sha256, [D], R) -> R =:= oracle_sha256(D);
plausible(sha256_init, _, R) -> is_reference(R);
plausible(sha256_update, _, R) -> is_reference(R);
plausible(sha256_final, _, R) -> is_key(R);
plausible(hmac_sha256, _, R) -> is_key(R);
plausible(hkdf_sha256, [_, _, _, L], R) -> is_binary(R) andalso byte_size(R) =:= L;
plausible(random_bytes, [N], R) -> is_binary(R) andalso byte_size(R) =:= N;
plausible(equal, [A, B], R) -> R =:= (A =:= B);
plausible(nif_status, _, R) -> R =:= ok.

is_key(B) -> is_binary(B) andalso byte_size(B) =:= 32.

%% The runtime's own crypto (OpenSSL on these test machines) is an independent oracle.
oracle_sha256(D) ->
    try crypto:hash(sha256, D)
    catch error:undef -> ?M:sha256(D)
    end.

random_term() ->
    case rand:uniform(16) of
        1 -> rand:uniform(1 bsl 8) - 1;
        2 -> rand:uniform(70000) - 1;
        3 -> -rand:uniform(1 bsl 20);
        4 -> 1 bsl (60 + rand:uniform(80));
        5 -> rand:uniform() * 100;
        6 -> lists:nth(rand:uniform(4), [undefined, true, ok, []]);
        7 -> random_binary(rand:uniform(70) - 1);
        8 -> random_binary(lists:nth(rand:uniform(3), [32, 64, 32]));
        9 -> random_binary(32);
        10 -> random_binary(rand:uniform(40000));
        11 -> <<(rand:uniform(127)):7>>;
        12 -> binary_to_list(random_binary(rand:uniform(8)));
        13 -> {random_binary(4), 1};
        14 -> random_state();
        15 -> lists:nth(rand:uniform(3), [self(), make_ref(), #{a => 1}]);
        16 -> binary:part(random_binary(80), rand:uniform(40), 32)
    end.

random_binary(N) -> rand:bytes(N).

%% Fresh, fed and spent states, so both live and dead ones reach every function.
random_state() ->
    S = ?M:sha256_init(),
    case rand:uniform(3) of
        1 -> S;
        2 -> ?M:sha256_update(S, <<"x">>);
        3 -> _ = ?M:sha256_final(S), S
    end.

%% ---------------------------------------------------------------------------------------------
%% Hot code loading: a new instance of the module takes the NIF and live states over; states of
%% an instance that was purged outright answer badarg, and fresh ones work.
reload_test_() ->
    {timeout, 60,
     fun() ->
             S = ?M:sha256_update(?M:sha256_init(), <<"a">>),
             {?M, Bin, File} = code:get_object_code(?M),
             _ = code:purge(?M),
             ?assertEqual({module, ?M}, code:load_binary(?M, File, Bin)),
             ?assertEqual(ok, ?M:nif_status()),
             S2 = ?M:sha256_update(S, <<"b">>),
             ?assertEqual(hex(?SHA_ABC), ?M:sha256_final(?M:sha256_update(S2, <<"c">>))),
             Orphan = ?M:sha256_update(?M:sha256_init(), <<"a">>),
             _ = code:purge(?M),
             ?assert(code:delete(?M)),
             _ = code:purge(?M),
             ?assertEqual({module, ?M}, code:load_binary(?M, File, Bin)),
             ?assertEqual(ok, ?M:nif_status()),
             ?assertEqual(badarg, raises_badarg(fun() -> ?M:sha256_update(Orphan, <<"b">>) end)),
             ?assertEqual(badarg, raises_badarg(fun() -> ?M:sha256_final(Orphan) end)),
             ?assertEqual(hex(?SHA_ABC), feed([<<"ab">>, <<"c">>])),
             ?assertEqual(hex(?SHA_ABC), ?M:sha256(<<"abc">>))
     end}.
