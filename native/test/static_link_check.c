/*
 * Links the static archive (built as build-ios builds it, with the host's compiler) into a
 * program the way a Dala app links it next to its driver table, and checks that the row from
 * ios/static_nif_entry.h reaches the library's entry: the module name erts will bind it to and
 * the functions it exports, which test/run-tests compares with the Erlang module's -nifs list.
 * erts itself is absent, so nothing here calls into the NIF functions.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <erl_nif.h>

/* The OTP 25+ layout of a static NIF table row, as erts' global.h declares it. */
typedef void *ErtsStaticNifInitF(void);
typedef struct {
    ErtsStaticNifInitF *const nif_init;
    const int taint;
    uintptr_t mod_atom;
    ErlNifEntry *entry;
} ErtsStaticNif;
#define THE_NON_VALUE 0

#include "static_nif_entry.h"

static ErtsStaticNif erts_static_nif_tab[] = {
    DALA_OTA_CRYPTO_STATIC_NIF,
    {NULL, 0, THE_NON_VALUE, NULL},
};

int main(void)
{
    const ErlNifEntry *entry = erts_static_nif_tab[0].nif_init();
    int i;

    if (entry == NULL || strcmp(entry->name, "dala_ota_crypto") != 0) {
        fprintf(stderr, "static entry does not name the dala_ota_crypto module\n");
        return 1;
    }
    if (entry->major != ERL_NIF_MAJOR_VERSION || erts_static_nif_tab[0].taint != 1) {
        fprintf(stderr, "unexpected NIF version %d or taint %d\n", entry->major,
                erts_static_nif_tab[0].taint);
        return 1;
    }
    printf("module %s\n", entry->name);
    for (i = 0; i < entry->num_of_funcs; i++) {
        printf("nif %s/%u\n", entry->funcs[i].name, entry->funcs[i].arity);
    }
    return 0;
}
