%% A module that loads a NIF library when it is loaded.
-module(needs_nif).
-export([native/0]).
-on_load(init/0).

init() -> erlang:load_nif("./needs_nif", 0).

native() -> erlang:nif_error(not_loaded).
