%% @doc dala_ota_crypto in a node where its NIF cannot be found: the module must still load, and
%% every exported function, whatever its arguments, must return {error, nif_not_loaded}. The
%% agent relies on this to refuse updates instead of crashing, and never to fall back to Erlang.
-module(dala_ota_crypto_stub_tests).

%% Every *_test/0 and *_test_/0 is run by dala_ota_crypto_harness, as EUnit would run them.
-compile([export_all, nowarn_export_all]).

-include("dala_ota_crypto_assert.hrl").

-define(M, dala_ota_crypto).

%% The whole API; a function added to the module without a stub check fails api_test.
api() ->
    [{ed25519_verify, 3}, {x25519_keypair, 0}, {x25519, 2}, {sha256, 1}, {sha256_init, 0},
     {sha256_update, 2}, {sha256_final, 1}, {hmac_sha256, 2}, {hkdf_sha256, 4},
     {random_bytes, 1}, {equal, 2}, {nif_status, 0}].

module_loaded_test() ->
    ?assertMatch({module, ?M}, code:ensure_loaded(?M)),
    ?assertMatch({file, _}, code:is_loaded(?M)).

api_test() ->
    Exports = [FA || {F, _} = FA <- ?M:module_info(exports), F =/= module_info],
    ?assertEqual(lists:sort(api()), lists:sort(Exports)).

nif_status_test() ->
    ?assertEqual({error, nif_not_loaded}, ?M:nif_status()).

%% Well-formed and malformed arguments alike: the stub never inspects them.
every_function_test_() ->
    ArgSets = [fun well_formed/1, fun(A) -> lists:duplicate(A, junk) end],
    [{lists:flatten(io_lib:format("~s/~b", [F, A])),
      ?_assertEqual(lists:duplicate(length(ArgSets), {error, nif_not_loaded}),
                    [apply(?M, F, Make(A)) || Make <- ArgSets])}
     || {F, A} <- api()].

well_formed(0) -> [];
well_formed(1) -> [<<"abc">>];
well_formed(2) -> [<<0:256>>, <<9, 0:248>>];
well_formed(3) -> [<<0:256>>, <<"message">>, <<0:512>>];
well_formed(4) -> [<<"salt">>, <<"ikm">>, <<"info">>, 32].
