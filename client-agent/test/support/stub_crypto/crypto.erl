%% A stand-in for the stub `crypto` module Dala's device builds ship (docs/native.md): every
%% signature "verifies", SHA-256 is an MD5 and random bytes come from `rand`. Tests compile it
%% into a directory placed first on a node's code path, where it hides OTP's real `crypto`, to
%% prove that the agent detects it and never trusts it.
-module(crypto).
-export([verify/5, hash/2, hash_init/1, hash_update/2, hash_final/1, mac/4, generate_key/2,
         compute_key/4, strong_rand_bytes/1, sign/4, hash_equals/2]).

verify(_Algorithm, _Digest, _Message, _Signature, _Key) -> true.
hash(_Type, Data) -> erlang:md5(Data).
hash_init(_Type) -> <<>>.
hash_update(State, Data) -> <<State/binary, Data/binary>>.
hash_final(State) -> erlang:md5(State).
mac(_Type, _SubType, Key, Data) -> erlang:md5([Key, Data]).
generate_key(_Type, _Params) -> {rand:bytes(32), rand:bytes(32)}.
compute_key(_Type, Other, Mine, _Params) -> erlang:md5([Other, Mine]).
strong_rand_bytes(N) -> rand:bytes(N).
sign(_Algorithm, _Digest, Message, _Key) -> binary:copy(erlang:md5(Message), 4).
hash_equals(A, B) -> A =:= B.
