/*
 * dala_ota_crypto: the update agent's cryptographic primitives, taken from libsodium because the
 * OTP that Dala ships to iOS has no OpenSSL and its `crypto` module is a stub that must not be
 * trusted. Ed25519 verification, X25519, SHA-256 (one-shot and incremental), HMAC-SHA256,
 * HKDF-SHA256 (RFC 5869), secure random bytes and a constant-time comparison.
 *
 * Contract shared by every function: bad input (wrong type, wrong size, out-of-range integer)
 * raises badarg and never touches memory it should not; results that can fail for other reasons
 * come back as {error, Reason}. Work that grows with the input runs inline when it is short and
 * on a dirty CPU scheduler when it is not, so a large module never stalls a normal scheduler.
 *
 * Built as a shared object for Linux and Android, and with STATIC_ERLANG_NIF_LIBNAME set for the
 * iOS static NIF table (see native/ios/static_nif_entry.h); the source is the same for both.
 */
#include <stdatomic.h>
#include <string.h>

#include <erl_nif.h>
#include <sodium.h>

/*
 * Inputs at least this large go to a dirty CPU scheduler. Hashing 32 KiB takes about 0.1 ms on
 * x86_64, so even a phone core five times slower stays well inside the millisecond a NIF may
 * hold a normal scheduler; below that, the dirty hand-off would cost more than it saves.
 */
#define DIRTY_THRESHOLD ((size_t)32 * 1024)

/* What one curve operation costs, in bytes of SHA-256 that take as long: an Ed25519 verification
 * matches about 16 KiB on x86_64 (an X25519 about 10 KiB), and the costlier one is charged for
 * both so that a process verifying in a tight loop is still preempted on time. */
#define CURVE_OP_COST ((size_t)16 * 1024)

/* random_bytes/1 serves keys, nonces and salts; anything bigger is a caller bug, and a cap keeps
 * a single call from draining the kernel's entropy pool or the scheduler. */
#define RANDOM_BYTES_MAX 65536

/* RFC 5869: at most 255 blocks of the hash's output. */
#define HKDF_SHA256_MAX_LEN (255 * crypto_auth_hmacsha256_BYTES)


static ERL_NIF_TERM atom_ok;
static ERL_NIF_TERM atom_true;
static ERL_NIF_TERM atom_false;
static ERL_NIF_TERM atom_error;
static ERL_NIF_TERM atom_weak_key;
static ERL_NIF_TERM atom_enomem;
static ERL_NIF_TERM atom_keypair_failed;

/*
 * An incremental SHA-256 state. Each state is good for exactly one sha256_update or sha256_final:
 * the call spends it (and update returns a fresh one), so a caller that forgets to thread the new
 * state fails loudly with badarg instead of silently hashing the wrong bytes. Spending is a single
 * compare-and-swap, which also makes two processes racing on one state safe: one wins, the other
 * gets badarg. The hash state itself lives in enif_alloc memory because that allocator documents
 * its alignment and resource memory does not.
 */
typedef struct {
    atomic_int spent;
    crypto_hash_sha256_state *st; /* owned by whoever spent the resource; NULL once handed on */
} sha256_res;

static ErlNifResourceType *sha256_type;

typedef ERL_NIF_TERM (*nif_fun)(ErlNifEnv *, int, const ERL_NIF_TERM[]);

static ERL_NIF_TERM error_tuple(ErlNifEnv *env, ERL_NIF_TERM reason)
{
    return enif_make_tuple2(env, atom_error, reason);
}

static int get_binary(ErlNifEnv *env, ERL_NIF_TERM term, ErlNifBinary *bin)
{
    return enif_inspect_binary(env, term, bin);
}

static int get_sized_binary(ErlNifEnv *env, ERL_NIF_TERM term, size_t size, ErlNifBinary *bin)
{
    return enif_inspect_binary(env, term, bin) && bin->size == size;
}

/* Reads an integer in [min, max]; bignums, floats and everything else fail. */
static int get_bounded_int(ErlNifEnv *env, ERL_NIF_TERM term, ErlNifSInt64 min, ErlNifSInt64 max,
                           ErlNifSInt64 *out)
{
    ErlNifSInt64 v;
    if (!enif_get_int64(env, term, &v) || v < min || v > max) {
        return 0;
    }
    *out = v;
    return 1;
}

/* The size of a binary argument, or 0 for anything else: used only to choose a scheduler, so a
 * wrong type just takes the inline path and fails validation there. */
static size_t size_hint(ErlNifEnv *env, ERL_NIF_TERM term)
{
    ErlNifBinary bin;
    return enif_inspect_binary(env, term, &bin) ? bin.size : 0;
}

/* Tells the scheduler how much of its timeslice inline work used, so a process calling us in a
 * tight loop is still preempted on time. */
static void charge(ErlNifEnv *env, size_t work)
{
    size_t percent = work / (DIRTY_THRESHOLD / 100) + 1;
    (void)enif_consume_timeslice(env, (int)(percent > 100 ? 100 : percent));
}

/* Runs `fun` inline when `work` is small, otherwise reschedules it on a dirty CPU scheduler. */
static ERL_NIF_TERM run_sized(ErlNifEnv *env, const char *name, size_t work, nif_fun fun, int argc,
                              const ERL_NIF_TERM argv[])
{
    ERL_NIF_TERM result;
    if (work >= DIRTY_THRESHOLD) {
        return enif_schedule_nif(env, name, ERL_NIF_DIRTY_JOB_CPU_BOUND, fun, argc, argv);
    }
    result = fun(env, argc, argv);
    charge(env, work);
    return result;
}

/* ------------------------------------------------------------------------------------------ */
/* Ed25519                                                                                    */

static ERL_NIF_TERM ed25519_verify_work(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ErlNifBinary pk, msg, sig;
    (void)argc;
    if (!get_sized_binary(env, argv[0], crypto_sign_PUBLICKEYBYTES, &pk) ||
        !get_binary(env, argv[1], &msg) ||
        !get_sized_binary(env, argv[2], crypto_sign_BYTES, &sig)) {
        return enif_make_badarg(env);
    }
    /* libsodium also rejects non-canonical S and small-order keys, which RFC 8032 leaves open. */
    return crypto_sign_verify_detached(sig.data, msg.data, msg.size, pk.data) == 0 ? atom_true
                                                                                   : atom_false;
}

/* ed25519_verify(PublicKey, Message, Signature) -> boolean(). */
static ERL_NIF_TERM ed25519_verify_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    return run_sized(env, "ed25519_verify", CURVE_OP_COST + size_hint(env, argv[1]),
                     ed25519_verify_work, argc, argv);
}

/* ------------------------------------------------------------------------------------------ */
/* X25519                                                                                     */

/* x25519_keypair() -> {Public, Secret}. The secret is drawn straight into its result binary so
 * no copy of it is left behind on our stack. */
static ERL_NIF_TERM x25519_keypair_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ERL_NIF_TERM pub_term, sec_term;
    unsigned char *pub, *sec;
    (void)argc;
    (void)argv;
    sec = enif_make_new_binary(env, crypto_scalarmult_SCALARBYTES, &sec_term);
    pub = enif_make_new_binary(env, crypto_scalarmult_BYTES, &pub_term);
    if (sec == NULL || pub == NULL) {
        return error_tuple(env, atom_enomem);
    }
    randombytes_buf(sec, crypto_scalarmult_SCALARBYTES);
    if (crypto_scalarmult_base(pub, sec) != 0) {
        sodium_memzero(sec, crypto_scalarmult_SCALARBYTES);
        return error_tuple(env, atom_keypair_failed);
    }
    charge(env, CURVE_OP_COST);
    return enif_make_tuple2(env, pub_term, sec_term);
}

/* x25519(Secret, PeerPublic) -> Shared | {error, weak_key}. A peer key of small order yields an
 * all-zero secret (libsodium returns -1); it comes from the network, not from the caller's code,
 * so it is an {error, _} result rather than badarg. */
static ERL_NIF_TERM x25519_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ErlNifBinary sk, pk, shared;
    (void)argc;
    if (!get_sized_binary(env, argv[0], crypto_scalarmult_SCALARBYTES, &sk) ||
        !get_sized_binary(env, argv[1], crypto_scalarmult_BYTES, &pk)) {
        return enif_make_badarg(env);
    }
    if (!enif_alloc_binary(crypto_scalarmult_BYTES, &shared)) {
        return error_tuple(env, atom_enomem);
    }
    charge(env, CURVE_OP_COST);
    if (crypto_scalarmult(shared.data, sk.data, pk.data) != 0) {
        sodium_memzero(shared.data, shared.size);
        enif_release_binary(&shared);
        return error_tuple(env, atom_weak_key);
    }
    return enif_make_binary(env, &shared);
}

/* ------------------------------------------------------------------------------------------ */
/* SHA-256                                                                                    */

static ERL_NIF_TERM sha256_work(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ErlNifBinary data;
    ERL_NIF_TERM out_term;
    unsigned char *out;
    (void)argc;
    if (!get_binary(env, argv[0], &data)) {
        return enif_make_badarg(env);
    }
    out = enif_make_new_binary(env, crypto_hash_sha256_BYTES, &out_term);
    if (out == NULL) {
        return error_tuple(env, atom_enomem);
    }
    crypto_hash_sha256(out, data.data, data.size);
    return out_term;
}

/* sha256(Data) -> Digest (32 bytes). */
static ERL_NIF_TERM sha256_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    return run_sized(env, "sha256", size_hint(env, argv[0]), sha256_work, argc, argv);
}

static void sha256_res_dtor(ErlNifEnv *env, void *obj)
{
    sha256_res *res = obj;
    (void)env;
    if (res->st != NULL) {
        sodium_memzero(res->st, sizeof *res->st);
        enif_free(res->st);
        res->st = NULL;
    }
}

/* Wraps an owned hash state in a new resource term; frees the state if that fails. */
static ERL_NIF_TERM make_sha256_res(ErlNifEnv *env, crypto_hash_sha256_state *st)
{
    ERL_NIF_TERM term;
    sha256_res *res = enif_alloc_resource(sha256_type, sizeof *res);
    if (res == NULL) {
        sodium_memzero(st, sizeof *st);
        enif_free(st);
        return error_tuple(env, atom_enomem);
    }
    atomic_init(&res->spent, 0);
    res->st = st;
    term = enif_make_resource(env, res);
    enif_release_resource(res);
    return term;
}

/* Takes the hash state out of a state term, marking the term spent; 0 if the term is not a
 * state or was already spent. */
static int spend_sha256(ErlNifEnv *env, ERL_NIF_TERM term, crypto_hash_sha256_state **st)
{
    sha256_res *res;
    int expected = 0;
    if (!enif_get_resource(env, term, sha256_type, (void **)&res)) {
        return 0;
    }
    if (!atomic_compare_exchange_strong(&res->spent, &expected, 1)) {
        return 0;
    }
    /* Only the winner of the exchange reaches here, so nobody else reads or frees st. */
    *st = res->st;
    res->st = NULL;
    return *st != NULL;
}

/* sha256_init() -> State. */
static ERL_NIF_TERM sha256_init_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    crypto_hash_sha256_state *st;
    (void)argc;
    (void)argv;
    st = enif_alloc(sizeof *st);
    if (st == NULL) {
        return error_tuple(env, atom_enomem);
    }
    crypto_hash_sha256_init(st);
    return make_sha256_res(env, st);
}

static ERL_NIF_TERM sha256_update_work(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ErlNifBinary data;
    crypto_hash_sha256_state *st;
    (void)argc;
    /* Check the data first: a bad call must leave the state usable. */
    if (!get_binary(env, argv[1], &data) || !spend_sha256(env, argv[0], &st)) {
        return enif_make_badarg(env);
    }
    crypto_hash_sha256_update(st, data.data, data.size);
    return make_sha256_res(env, st);
}

/* sha256_update(State, Data) -> NewState; State is spent. */
static ERL_NIF_TERM sha256_update_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    return run_sized(env, "sha256_update", size_hint(env, argv[1]), sha256_update_work, argc,
                     argv);
}

/* sha256_final(State) -> Digest; State is spent. */
static ERL_NIF_TERM sha256_final_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    crypto_hash_sha256_state *st;
    ERL_NIF_TERM out_term;
    unsigned char *out;
    (void)argc;
    if (!spend_sha256(env, argv[0], &st)) {
        return enif_make_badarg(env);
    }
    out = enif_make_new_binary(env, crypto_hash_sha256_BYTES, &out_term);
    if (out != NULL) {
        crypto_hash_sha256_final(st, out);
    }
    sodium_memzero(st, sizeof *st);
    enif_free(st);
    return out != NULL ? out_term : error_tuple(env, atom_enomem);
}

/* ------------------------------------------------------------------------------------------ */
/* HMAC-SHA256 and HKDF-SHA256                                                                */

static ERL_NIF_TERM hmac_sha256_work(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ErlNifBinary key, data;
    crypto_auth_hmacsha256_state st;
    ERL_NIF_TERM out_term;
    unsigned char *out;
    (void)argc;
    if (!get_binary(env, argv[0], &key) || !get_binary(env, argv[1], &data)) {
        return enif_make_badarg(env);
    }
    out = enif_make_new_binary(env, crypto_auth_hmacsha256_BYTES, &out_term);
    if (out == NULL) {
        return error_tuple(env, atom_enomem);
    }
    /* The libsodium HMAC takes keys of any length, hashing those longer than a block. */
    crypto_auth_hmacsha256_init(&st, key.data, key.size);
    crypto_auth_hmacsha256_update(&st, data.data, data.size);
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
    return out_term;
}

/* hmac_sha256(Key, Data) -> Mac (32 bytes). */
static ERL_NIF_TERM hmac_sha256_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    return run_sized(env, "hmac_sha256", size_hint(env, argv[0]) + size_hint(env, argv[1]),
                     hmac_sha256_work, argc, argv);
}

/*
 * RFC 5869 over libsodium's HMAC-SHA256, because Debian bookworm's libsodium 1.0.18 predates
 * crypto_kdf_hkdf_sha256. An empty salt needs no special case: HMAC pads short keys with zeros,
 * so it equals the RFC's default salt of HashLen zero bytes.
 */
static void hkdf_sha256(const ErlNifBinary *salt, const ErlNifBinary *ikm,
                        const ErlNifBinary *info, unsigned char *okm, size_t len)
{
    unsigned char prk[crypto_auth_hmacsha256_BYTES];
    unsigned char block[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    size_t done = 0, take;
    unsigned char counter = 0;

    crypto_auth_hmacsha256_init(&st, salt->data, salt->size);
    crypto_auth_hmacsha256_update(&st, ikm->data, ikm->size);
    crypto_auth_hmacsha256_final(&st, prk);

    while (done < len) {
        counter++;
        crypto_auth_hmacsha256_init(&st, prk, sizeof prk);
        if (counter > 1) {
            crypto_auth_hmacsha256_update(&st, block, sizeof block);
        }
        crypto_auth_hmacsha256_update(&st, info->data, info->size);
        crypto_auth_hmacsha256_update(&st, &counter, 1);
        crypto_auth_hmacsha256_final(&st, block);
        take = len - done < sizeof block ? len - done : sizeof block;
        memcpy(okm + done, block, take);
        done += take;
    }

    sodium_memzero(prk, sizeof prk);
    sodium_memzero(block, sizeof block);
    sodium_memzero(&st, sizeof st);
}

static ERL_NIF_TERM hkdf_sha256_work(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ErlNifBinary salt, ikm, info;
    ErlNifSInt64 len;
    ERL_NIF_TERM out_term;
    unsigned char *out;
    (void)argc;
    if (!get_binary(env, argv[0], &salt) || !get_binary(env, argv[1], &ikm) ||
        !get_binary(env, argv[2], &info) ||
        !get_bounded_int(env, argv[3], 1, HKDF_SHA256_MAX_LEN, &len)) {
        return enif_make_badarg(env);
    }
    out = enif_make_new_binary(env, (size_t)len, &out_term);
    if (out == NULL) {
        return error_tuple(env, atom_enomem);
    }
    hkdf_sha256(&salt, &ikm, &info, out, (size_t)len);
    return out_term;
}

/* hkdf_sha256(Salt, IKM, Info, Len) -> OKM (Len bytes, 1..8160). */
static ERL_NIF_TERM hkdf_sha256_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ErlNifSInt64 len;
    size_t blocks = 1, work;
    if (get_bounded_int(env, argv[3], 1, HKDF_SHA256_MAX_LEN, &len)) {
        blocks = ((size_t)len + crypto_auth_hmacsha256_BYTES - 1) / crypto_auth_hmacsha256_BYTES;
    }
    /* Info is hashed once per output block, and each HMAC costs about four compressions. */
    work = size_hint(env, argv[0]) + size_hint(env, argv[1]) +
           blocks * (size_hint(env, argv[2]) + crypto_auth_hmacsha256_BYTES + 1 + 256);
    return run_sized(env, "hkdf_sha256", work, hkdf_sha256_work, argc, argv);
}

/* ------------------------------------------------------------------------------------------ */
/* Randomness and comparison                                                                  */

/* random_bytes(N) -> binary of N bytes from the OS CSPRNG, 0 =< N =< 65536. */
static ERL_NIF_TERM random_bytes_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ErlNifSInt64 n;
    ERL_NIF_TERM out_term;
    unsigned char *out;
    (void)argc;
    if (!get_bounded_int(env, argv[0], 0, RANDOM_BYTES_MAX, &n)) {
        return enif_make_badarg(env);
    }
    out = enif_make_new_binary(env, (size_t)n, &out_term);
    if (out == NULL) {
        return error_tuple(env, atom_enomem);
    }
    randombytes_buf(out, (size_t)n);
    charge(env, (size_t)n);
    return out_term;
}

static ERL_NIF_TERM equal_work(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    ErlNifBinary a, b;
    (void)argc;
    if (!get_binary(env, argv[0], &a) || !get_binary(env, argv[1], &b)) {
        return enif_make_badarg(env);
    }
    /* Lengths are public (a MAC or digest has a fixed one); only the contents must not leak. */
    if (a.size != b.size) {
        return atom_false;
    }
    return sodium_memcmp(a.data, b.data, a.size) == 0 ? atom_true : atom_false;
}

/* equal(A, B) -> boolean(), in time that depends only on the lengths. */
static ERL_NIF_TERM equal_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    return run_sized(env, "equal", size_hint(env, argv[0]) + size_hint(env, argv[1]), equal_work,
                     argc, argv);
}

/* nif_status() -> ok: replaces the Erlang stub, which answers {error, nif_not_loaded}. */
static ERL_NIF_TERM nif_status_nif(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    (void)env;
    (void)argc;
    (void)argv;
    return atom_ok;
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                    */

/* Shared by load and upgrade; `flags` says whether existing resource types are taken over. */
static int init_library(ErlNifEnv *env, ErlNifResourceFlags flags)
{
    ErlNifResourceFlags tried;

    /* A library whose CSPRNG or CPU probe failed must not load at all: the Erlang side then
     * answers {error, nif_not_loaded} instead of handing out weak keys. */
    if (sodium_init() < 0) {
        return 1;
    }
    sha256_type = enif_open_resource_type(env, NULL, "dala_ota_crypto_sha256", sha256_res_dtor,
                                          flags, &tried);
    if (sha256_type == NULL) {
        return 2;
    }
    atom_ok = enif_make_atom(env, "ok");
    atom_true = enif_make_atom(env, "true");
    atom_false = enif_make_atom(env, "false");
    atom_error = enif_make_atom(env, "error");
    atom_weak_key = enif_make_atom(env, "weak_key");
    atom_enomem = enif_make_atom(env, "enomem");
    atom_keypair_failed = enif_make_atom(env, "keypair_failed");
    return 0;
}

static int load(ErlNifEnv *env, void **priv_data, ERL_NIF_TERM load_info)
{
    (void)priv_data;
    (void)load_info;
    return init_library(env, ERL_NIF_RT_CREATE);
}

/* Hot upgrade of the Erlang module: taking the type over keeps SHA-256 states made by the old
 * instance usable. (States of an instance that was purged outright cannot be recovered: erts
 * orphans their type, and they answer badarg.) */
static int upgrade(ErlNifEnv *env, void **priv_data, void **old_priv_data, ERL_NIF_TERM load_info)
{
    (void)priv_data;
    (void)old_priv_data;
    (void)load_info;
    return init_library(env, (ErlNifResourceFlags)(ERL_NIF_RT_CREATE | ERL_NIF_RT_TAKEOVER));
}

static ErlNifFunc nif_funcs[] = {
    {"ed25519_verify", 3, ed25519_verify_nif, 0},
    {"x25519_keypair", 0, x25519_keypair_nif, 0},
    {"x25519", 2, x25519_nif, 0},
    {"sha256", 1, sha256_nif, 0},
    {"sha256_init", 0, sha256_init_nif, 0},
    {"sha256_update", 2, sha256_update_nif, 0},
    {"sha256_final", 1, sha256_final_nif, 0},
    {"hmac_sha256", 2, hmac_sha256_nif, 0},
    {"hkdf_sha256", 4, hkdf_sha256_nif, 0},
    {"random_bytes", 1, random_bytes_nif, 0},
    {"equal", 2, equal_nif, 0},
    {"nif_status", 0, nif_status_nif, 0},
};

ERL_NIF_INIT(dala_ota_crypto, nif_funcs, load, NULL, upgrade, NULL)
