/*
 * The static NIF table row for dala_ota_crypto, for the driver table source a Dala app links
 * before libbeam.a (driver_tab_ios.c). iOS cannot dlopen a NIF, so erts finds this one through
 * erts_static_nif_tab: at boot it calls every row's init function to learn the module name, and
 * erlang:load_nif/2 from the dala_ota_crypto module then binds to it whatever path it passes.
 *
 * The library must be compiled with -DSTATIC_ERLANG_NIF_LIBNAME=dala_ota_crypto (native/build-ios
 * does), which names its init function dala_ota_crypto_nif_init.
 *
 * In driver_tab_ios.c, after its ErtsStaticNif typedef and THE_NON_VALUE definition:
 *
 *     #include "static_nif_entry.h"
 *
 *     ErtsStaticNif erts_static_nif_tab[] = {
 *         ...the rows already there...
 *         DALA_OTA_CRYPTO_STATIC_NIF,
 *         {NULL, 0, THE_NON_VALUE, NULL}
 *     };
 *
 * The row has the OTP 25+ layout {init, taint, module atom, entry}; erts fills in the last two at
 * boot. taint is 1, as erts' own make_driver_tab sets it for NIFs that do not ship with OTP, so
 * erlang:system_info(taints) lists dala_ota_crypto just as it would a dynamically loaded NIF.
 */
#ifndef DALA_OTA_CRYPTO_STATIC_NIF_ENTRY_H
#define DALA_OTA_CRYPTO_STATIC_NIF_ENTRY_H

/* Really returns ErlNifEntry *; declared the way erts declares every static init function. */
void *dala_ota_crypto_nif_init(void);

#define DALA_OTA_CRYPTO_STATIC_NIF {dala_ota_crypto_nif_init, 1, THE_NON_VALUE, NULL}

#endif
