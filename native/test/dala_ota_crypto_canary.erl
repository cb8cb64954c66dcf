%% @doc Loader for the deliberately faulty canary NIF (dala_ota_crypto_canary.c), which
%% test/run-tests runs under the sanitizer to prove that its gate reports faults inside a NIF.
-module(dala_ota_crypto_canary).

-export([overread/0, leak/0]).

-nifs([overread/0, leak/0]).
-on_load(init/0).

init() ->
    erlang:load_nif(os:getenv("DALA_OTA_CANARY_NIF"), 0).

overread() -> erlang:nif_error(not_loaded).
leak() -> erlang:nif_error(not_loaded).
