/*
 * A deliberately faulty NIF, used only by test/run-tests to prove that its sanitizer gate catches
 * faults inside a NIF library: one call reads past a heap block, the other leaks. The memory
 * comes from enif_alloc, as the real library's does, so the proof also covers the emulator flag
 * (+Mea min) that routes NIF allocations to malloc, where the sanitizer can see them.
 * It is named like the real library because the gate matches stack frames by that name.
 */
#include <erl_nif.h>

static ERL_NIF_TERM overread(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    unsigned char *p = enif_alloc(16);
    unsigned char c;
    (void)argc;
    (void)argv;
    c = ((volatile unsigned char *)p)[16];
    enif_free(p);
    return enif_make_int(env, c);
}

static ERL_NIF_TERM leak(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
    void *volatile p = enif_alloc(4096);
    (void)argc;
    (void)argv;
    p = NULL;
    return enif_make_int(env, p == NULL);
}

static ErlNifFunc funcs[] = {
    {"overread", 0, overread, 0},
    {"leak", 0, leak, 0},
};

ERL_NIF_INIT(dala_ota_crypto_canary, funcs, NULL, NULL, NULL, NULL)
