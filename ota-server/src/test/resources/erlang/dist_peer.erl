%% A device-like node for the distribution endpoint's tests. It starts distribution the way the
%% agent does (hidden, not listening, per-session node name), sets the session cookie for the
%% server node only, connects, and runs one scenario. It prints "RESULT <term>" and halts.
%%
%%   erl -noshell -epmd_port P -pa . -run dist_peer main Scenario ServerNode DeviceNode Cookie [Arg]
-module(dist_peer).
-export([main/1]).

main([Scenario, Server, Device, Cookie | Args]) ->
    Result = try
                 run(list_to_atom(Scenario), list_to_atom(Server), list_to_atom(Device),
                     list_to_atom(Cookie), Args)
             catch
                 Class:Reason:Stack -> {crashed, Class, Reason, Stack}
             end,
    io:format("RESULT ~0p~n", [Result]),
    erlang:halt(0).

start(Device, Server, Cookie) ->
    {ok, _} = net_kernel:start(Device, #{name_domain => longnames, dist_listen => false, hidden => true}),
    register(dala_ota_test, self()),
    erlang:set_cookie(Server, Cookie).

connect(Server) ->
    case net_kernel:connect_node(Server) of
        true -> receive {hello, Pid} -> {ok, Pid} after 5000 -> no_hello end;
        false -> refused
    end.

run(connect, Server, Device, Cookie, _) ->
    start(Device, Server, Cookie),
    case connect(Server) of
        {ok, Pid} ->
            {connected, node(Pid) =:= Server, lists:member(Server, nodes(hidden)), nodes()};
        Other ->
            Other
    end;
run(echo, Server, Device, Cookie, _) ->
    start(Device, Server, Cookie),
    {ok, Pid} = connect(Server),
    Port = hd(erlang:ports()),
    Terms = [self(), make_ref(), Port, #{a => 1, <<"b">> => [1, 2, 3], {c} => #{}},
             1 bsl 200, -(1 bsl 70), 1 bsl 40, -1, 0, 255, 256, 3.25, -0.5,
             <<>>, <<1, 2, 3>>, <<1:3>>, <<255, 7:5>>, binary:copy(<<"ab">>, 5000),
             'atom', 'ünïcödé', '', "string", [1 | 2], [], {}, {a, {b, [c]}},
             [self(), make_ref(), Port], #{self() => make_ref()}],
    Failures = [T || T <- Terms, echo(Pid, T) =/= {ok, T}],
    %% Large enough that both sides cut it into 64 KiB fragments.
    Big = crypto_free_bytes(300000),
    BigOk = echo(Pid, Big) =:= {ok, Big},
    {echo, length(Terms), Failures, BigOk};
run(oversized, Server, Device, Cookie, _) ->
    start(Device, Server, Cookie),
    {ok, Pid} = connect(Server),
    erlang:monitor_node(Server, true),
    Pid ! {echo, crypto_free_bytes(3000000)},
    receive {nodedown, Server} -> closed_by_server after 10000 -> still_connected end;
run(hold, Server, Device, Cookie, [Millis]) ->
    start(Device, Server, Cookie),
    {ok, Pid} = connect(Server),
    timer:sleep(list_to_integer(Millis)),
    {held, echo(Pid, still_there) =:= {ok, still_there}};
run(link_and_monitor, Server, Device, Cookie, _) ->
    start(Device, Server, Cookie),
    process_flag(trap_exit, true),
    {ok, Pid} = connect(Server),
    link(Pid),
    Ref = erlang:monitor(process, Pid),
    Pid ! {close, finished},
    Down = receive {'DOWN', Ref, process, Pid, R1} -> R1 after 5000 -> no_down end,
    Exit = receive {'EXIT', Pid, R2} -> R2 after 5000 -> no_exit end,
    {closed, Down, Exit};
run(monitor, Server, Device, Cookie, _) ->
    start(Device, Server, Cookie),
    {ok, Pid} = connect(Server),
    %% The endpoint registers no names, so a name monitor goes down at once.
    NameRef = erlang:monitor(process, {rex, Server}),
    NameDown = receive {'DOWN', NameRef, process, _, R0} -> R0 after 5000 -> no_down end,
    Ref = erlang:monitor(process, Pid),
    Pid ! {close, finished},
    Down = receive {'DOWN', Ref, process, Pid, R1} -> R1 after 5000 -> no_down end,
    {closed, NameDown, Down};
run(names, _Server, _Device, _Cookie, [Host]) ->
    net_adm:names(list_to_atom(Host));
run(rpc, Server, Device, Cookie, _) ->
    start(Device, Server, Cookie),
    {ok, Pid} = connect(Server),
    %% What rpc:call sends on every release: a gen_server call to the registered rex.
    Tag = make_ref(),
    {rex, Server} ! {'$gen_call', {self(), Tag}, {call, erlang, node, [], group_leader()}},
    Rex = receive {Tag, Reply} -> {answered, Reply} after 2000 -> no_answer end,
    Rpc = rpc:call(Server, erlang, node, [], 2000),
    {rpc, Rex, element(1, Rpc), echo(Pid, after_rpc) =:= {ok, after_rpc}}.

echo(Pid, Term) ->
    Pid ! {echo, Term},
    receive {echoed, Back} -> {ok, Back} after 10000 -> timeout end.

%% Pseudo-random bytes without :crypto, which device builds may lack.
crypto_free_bytes(N) ->
    rand:seed(exsss, {1, 2, 3}),
    << <<(rand:uniform(256) - 1)>> || _ <- lists:seq(1, N) >>.
