%% Test oracle for the Java term codec: a real node re-encodes what Java wrote, and writes
%% terms that only a live node can make (its own pids, references, ports and funs).
%% Files hold records of <<Length:32, Bytes/binary>>.
-module(etf_oracle).
-export([main/0]).

main() ->
    %% OTP 26+ already defaults to minor_version 2; OTP 25 needs it spelled out.
    Opts = [deterministic, {minor_version, 2}],
    {ok, In} = file:read_file("java.bin"),
    Reencoded = [reencode(B, Opts) || B <- records(In)],
    ok = file:write_file("reencoded.bin", [frame(B) || B <- Reencoded]),
    ok = file:write_file("node.bin", [frame(term_to_binary(T, Opts)) || T <- node_terms()]),
    ok = file:write_file("release.txt", erlang:system_info(otp_release)),
    halt(0).

reencode(Bin, Opts) ->
    Term = binary_to_term(Bin),
    Out = term_to_binary(Term, Opts),
    %% The re-encoded bytes must decode back to the same term.
    Term = binary_to_term(Out),
    Out.

records(<<Len:32, Bin:Len/binary, Rest/binary>>) -> [Bin | records(Rest)];
records(<<>>) -> [].

frame(Bin) -> [<<(byte_size(Bin)):32>>, Bin].

node_terms() ->
    Port = open_port({spawn, "cat"}, []),
    Terms = [self(), make_ref(), alias(), Port, hd(erlang:ports()),
             spawn(fun() -> ok end),
             fun lists:map/2, fun erlang:self/0,
             1 bsl 64, -(1 bsl 64), 1 bsl 2100, -(1 bsl 2100), (1 bsl 31), -(1 bsl 31) - 1,
             <<1:3>>, <<255, 7:5>>, <<>>, list_to_binary(lists:seq(0, 255)),
             maps:from_list([{N, N * N} || N <- lists:seq(1, 40)]),
             #{a => 1, <<"b">> => [1, 2], {c} => #{}, 3.5 => x, 2 => y},
             #{self() => pid, make_ref() => ref},
             {node(), nodes(), erlang:system_info(otp_release)},
             lists:seq(1, 70000),
             [1, 2 | 3], "string", [], {}, 'hé', 3.14159, -0.0, 1.0e300],
    port_close(Port),
    Terms.
