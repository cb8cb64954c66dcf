%% The reference for the delivery benchmark: a plain Erlang node pushing the same modules into
%% another node with rpc:call(Node, code, load_binary, ...), one module at a time, the usual way
%% to hot-load over distribution. Prints "RESULT Modules Bytes Micros", connecting included.
%%
%%   erl -noshell -name pusher@127.0.0.1 -setcookie C -pa . -run native_push main Receiver EbinDir
-module(native_push).
-export([main/1]).

main([Receiver, Dir]) ->
    Node = list_to_atom(Receiver),
    Files = lists:sort(filelib:wildcard(filename:join(Dir, "*.beam"))),
    Modules = [{list_to_atom(filename:basename(F, ".beam")), F, element(2, file:read_file(F))} || F <- Files],
    Started = erlang:monotonic_time(microsecond),
    true = net_kernel:connect_node(Node),
    [{module, M} = rpc:call(Node, code, load_binary, [M, F, B]) || {M, F, B} <- Modules],
    Elapsed = erlang:monotonic_time(microsecond) - Started,
    %% The receiver has done its job; stop it, so its epmd can stop too.
    erpc:cast(Node, erlang, halt, []),
    io:format("RESULT ~b ~b ~b~n", [length(Modules), lists:sum([byte_size(B) || {_, _, B} <- Modules]), Elapsed]),
    halt(0).
