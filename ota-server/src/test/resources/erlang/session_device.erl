%% The device side of a delivery session, for the server's tests and benchmarks. It starts
%% distribution as the agent does (hidden, not listening, the session's node name), registers
%% dala_ota_session, sets the session cookie for the server node only, and runs one scenario of
%% docs/protocol.md. It prints "RESULT <term>" and halts.
%%
%%   erl -noshell -epmd_port P -pa . -run session_device main Scenario ServerNode DeviceNode Cookie
-module(session_device).
-export([main/1, manifest_atoms/0]).

%% binary_to_term(_, [safe]) creates no atoms, so every key a manifest uses must already exist;
%% naming them here puts them in the atom table when this module loads.
manifest_atoms() ->
    [format, app, sequence, label, bases, modules, platform, otp_release, fingerprint, name, sha256,
     size, beam_md5, apply_mode, hot, next_start, issued_at, expires_at, min_agent_version].

main([Scenario, Server, Device, Cookie | Args]) ->
    Result = try
                 {ok, _} = net_kernel:start(list_to_atom(Device),
                                            #{name_domain => longnames, dist_listen => false, hidden => true}),
                 register(dala_ota_session, self()),
                 ServerNode = list_to_atom(Server),
                 erlang:set_cookie(ServerNode, list_to_atom(Cookie)),
                 run(list_to_atom(Scenario), ServerNode, Args)
             catch
                 Class:Reason:Stack -> {crashed, Class, Reason, Stack}
             end,
    io:format("RESULT ~0p~n", [Result]),
    erlang:halt(0).

run(deliver, Server, _) ->
    Started = erlang:monotonic_time(microsecond),
    {Pid, Session, Modules} = connect_and_take_offer(Server),
    Pid ! {dala_ota, 1, want, #{session => Session, modules => [Sha || #{sha256 := Sha} <- Modules]}},
    Loaded = receive_modules(Session, length(Modules), []),
    Sent = receive {dala_ota, 1, sent, #{session := Session} = S} -> S after 60000 -> no_sent end,
    Pid ! {dala_ota, 1, result, #{session => Session, result => applied}},
    Bye = receive {dala_ota, 1, bye, #{recorded := R}} -> R after 30000 -> no_bye end,
    Elapsed = erlang:monotonic_time(microsecond) - Started,
    Down = receive {nodedown, Server} -> closed after 10000 -> still_connected end,
    Md5s = lists:sort([{atom_to_binary(M), binary:encode_hex(M:module_info(md5))} || M <- Loaded]),
    {delivered, length(Loaded), maps:get(bytes, Sent, -1), Bye, Down, nodes(hidden), Md5s, Elapsed};
run(fail, Server, _) ->
    {Pid, Session, _} = connect_and_take_offer(Server),
    Pid ! {dala_ota, 1, result, #{session => Session, result => {failed, <<"manifest_rejected">>}}},
    receive {dala_ota, 1, bye, #{recorded := R}} -> {bye, R} after 10000 -> no_bye end;
run(silent, Server, _) ->
    {_Pid, _Session, _} = connect_and_take_offer(Server),
    receive {dala_ota, 1, abort, #{reason := R}} -> {aborted, R, wait_down(Server)} after 30000 -> no_abort end;
run(bad_want, Server, _) ->
    {Pid, Session, _} = connect_and_take_offer(Server),
    Pid ! {dala_ota, 1, want, #{session => Session, modules => [binary:copy(<<7>>, 32)]}},
    receive {dala_ota, 1, abort, #{reason := R}} -> {aborted, R, wait_down(Server)} after 10000 -> no_abort end;
run(connect_only, Server, _) ->
    case net_kernel:connect_node(Server) of
        true -> connected;
        false -> refused
    end.

connect_and_take_offer(Server) ->
    true = net_kernel:connect_node(Server),
    erlang:monitor_node(Server, true),
    receive
        {dala_ota, 1, offer, #{session := Session, server := Pid, manifest := Envelope}} ->
            {Pid, Session, manifest_modules(Envelope)}
    after 10000 ->
        exit(no_offer)
    end.

%% The modules a signed manifest lists. A real agent verifies the signature chain before it
%% decodes anything; this test device only reads.
manifest_modules(Envelope) ->
    {dala_ota_signed, 1, manifest, Payload, _Signatures, _Chain} = binary_to_term(Envelope, [safe]),
    #{modules := Modules} = binary_to_term(Payload, [safe]),
    Modules.

receive_modules(_Session, 0, Loaded) ->
    lists:reverse(Loaded);
receive_modules(Session, Left, Loaded) ->
    receive
        {dala_ota, 1, module, #{session := Session, sha256 := Sha, name := Name, beam := Beam}} ->
            Sha = crypto:hash(sha256, Beam),
            Module = binary_to_atom(Name),
            {module, Module} = code:load_binary(Module, "ota:" ++ binary_to_list(Name), Beam),
            receive_modules(Session, Left - 1, [Module | Loaded])
    after 60000 ->
        exit({missing_modules, Left})
    end.

wait_down(Server) ->
    receive {nodedown, Server} -> closed after 10000 -> still_connected end.
