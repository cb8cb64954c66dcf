%% @doc The update agent's cryptography: Ed25519 verification, X25519, SHA-256, HMAC-SHA256,
%% HKDF-SHA256 and secure random bytes, implemented by a libsodium NIF.
%%
%% Dala's OTP for iOS ships a stub `crypto' module (its `verify' always succeeds), so the agent
%% uses this module instead and never falls back to pure Erlang. When the NIF cannot be loaded
%% the module still loads, and every function, {@link nif_status/0} included, returns
%% `{error, nif_not_loaded}': the agent sees a value it can refuse on, not a crash at boot.
%%
%% Where the NIF comes from, in order (the first that loads wins):
%% <ol>
%%   <li>the environment variable `DALA_OTA_CRYPTO_NIF', a path without the `.so' extension;
%%       when set it is the only path tried;</li>
%%   <li>`dala_ota_crypto' or `libdala_ota_crypto' in the priv directory of the
%%       `dala_ota_crypto' or `dala_ota' application, or in `../priv' next to this module's
%%       `ebin';</li>
%%   <li>the bare name `dala_ota_crypto'.</li>
%% </ol>
%% On iOS the NIF is linked into the app and registered in the static NIF table; erts then
%% resolves any of these calls by module name without opening a file.
%%
%% Argument errors raise `badarg'; see docs/native.md for each function's limits.
-module(dala_ota_crypto).

%% Every exported function is a NIF stub, so one list feeds both attributes and they cannot
%% drift apart (test/run-tests reads -nifs to check the static NIF table).
-define(NIFS, [ed25519_verify/3,
               x25519_keypair/0,
               x25519/2,
               sha256/1,
               sha256_init/0,
               sha256_update/2,
               sha256_final/1,
               hmac_sha256/2,
               hkdf_sha256/4,
               random_bytes/1,
               equal/2,
               nif_status/0]).

-export(?NIFS).
-nifs(?NIFS).

-on_load(init/0).

-export_type([sha256_state/0]).

%% An opaque, single-use incremental SHA-256 state (a NIF resource).
-opaque sha256_state() :: reference().

-define(NOT_LOADED, {error, nif_not_loaded}).

%% @doc Verifies an Ed25519 signature (RFC 8032; 32-byte public key, 64-byte signature).
-spec ed25519_verify(PublicKey :: <<_:256>>, Message :: binary(), Signature :: <<_:512>>) ->
          boolean() | {error, nif_not_loaded}.
ed25519_verify(_PublicKey, _Message, _Signature) -> ?NOT_LOADED.

%% @doc A fresh X25519 key pair from the OS CSPRNG.
-spec x25519_keypair() -> {Public :: <<_:256>>, Secret :: <<_:256>>} | {error, term()}.
x25519_keypair() -> ?NOT_LOADED.

%% @doc The X25519 shared secret; `{error, weak_key}' when the peer's key has small order.
-spec x25519(Secret :: <<_:256>>, PeerPublic :: <<_:256>>) -> <<_:256>> | {error, term()}.
x25519(_Secret, _PeerPublic) -> ?NOT_LOADED.

%% @doc The SHA-256 digest of `Data'.
-spec sha256(Data :: binary()) -> <<_:256>> | {error, nif_not_loaded}.
sha256(_Data) -> ?NOT_LOADED.

%% @doc Starts an incremental SHA-256.
-spec sha256_init() -> sha256_state() | {error, term()}.
sha256_init() -> ?NOT_LOADED.

%% @doc Feeds `Data' and returns the next state. `State' is spent: using it again raises badarg.
-spec sha256_update(State :: sha256_state(), Data :: binary()) -> sha256_state() | {error, term()}.
sha256_update(_State, _Data) -> ?NOT_LOADED.

%% @doc The digest of everything fed so far. `State' is spent.
-spec sha256_final(State :: sha256_state()) -> <<_:256>> | {error, term()}.
sha256_final(_State) -> ?NOT_LOADED.

%% @doc HMAC-SHA256 (RFC 2104) with a key of any length.
-spec hmac_sha256(Key :: binary(), Data :: binary()) -> <<_:256>> | {error, nif_not_loaded}.
hmac_sha256(_Key, _Data) -> ?NOT_LOADED.

%% @doc HKDF-SHA256 (RFC 5869) extract-then-expand; `Len' is 1..8160.
-spec hkdf_sha256(Salt :: binary(), IKM :: binary(), Info :: binary(), Len :: 1..8160) ->
          binary() | {error, nif_not_loaded}.
hkdf_sha256(_Salt, _IKM, _Info, _Len) -> ?NOT_LOADED.

%% @doc `N' bytes from the OS CSPRNG; `N' is 0..65536.
-spec random_bytes(N :: 0..65536) -> binary() | {error, nif_not_loaded}.
random_bytes(_N) -> ?NOT_LOADED.

%% @doc Compares two binaries in time that depends only on their lengths.
-spec equal(A :: binary(), B :: binary()) -> boolean() | {error, nif_not_loaded}.
equal(_A, _B) -> ?NOT_LOADED.

%% @doc `ok' when the NIF is loaded; lets the agent refuse updates early, with a reason.
-spec nif_status() -> ok | {error, nif_not_loaded}.
nif_status() -> ?NOT_LOADED.

%% The on_load hook always answers ok: a missing NIF must leave the stubs in place rather than
%% make the module (and the agent that calls it) fail to load.
init() ->
    case load(candidates(), []) of
        ok ->
            ok;
        {error, Failures} ->
            logger:warning("dala_ota_crypto: NIF not loaded, every call returns "
                           "{error, nif_not_loaded}: ~0p", [Failures]),
            ok
    end.

load([], Failures) ->
    {error, lists:reverse(Failures)};
load([Path | Rest], Failures) ->
    case erlang:load_nif(Path, 0) of
        ok -> ok;
        {error, {reload, _}} -> ok;
        {error, Reason} -> load(Rest, [{Path, Reason} | Failures])
    end.

candidates() ->
    case os:getenv("DALA_OTA_CRYPTO_NIF") of
        Path when is_list(Path), Path =/= "" ->
            [Path];
        _ ->
            Names = ["dala_ota_crypto", "libdala_ota_crypto"],
            Found = [filename:join(Dir, Name) || Dir <- priv_dirs(), Name <- Names],
            lists:uniq(Found ++ ["dala_ota_crypto"])
    end.

priv_dirs() ->
    Apps = [Dir || App <- [dala_ota_crypto, dala_ota],
                   Dir <- [code:priv_dir(App)], is_list(Dir)],
    Beside = case code:which(?MODULE) of
                 Beam when is_list(Beam) ->
                     [filename:join(filename:dirname(filename:dirname(Beam)), "priv")];
                 _ ->
                     []
             end,
    Apps ++ Beside.
