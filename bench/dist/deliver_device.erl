%% A device node for the delivery benchmark (tools/bench-dist): one session over distribution,
%% checking each module's SHA-256 and loading it with code:load_binary/3, as the agent does.
%% Prints "RESULT Modules Bytes LoadedMicros TotalMicros".
%%
%%   erl -noshell -epmd_port P -pa . -run deliver_device main ServerNode DeviceNode Cookie
-module(deliver_device).
-export([main/1, manifest_atoms/0]).

manifest_atoms() ->
    [format, app, sequence, label, bases, modules, platform, otp_release, fingerprint, name, sha256,
     size, beam_md5, apply_mode, hot, next_start, issued_at, expires_at, min_agent_version].

main([Server, Device, Cookie]) ->
    {ok, _} = net_kernel:start(list_to_atom(Device), #{name_domain => longnames, dist_listen => false, hidden => true}),
    register(dala_ota_session, self()),
    ServerNode = list_to_atom(Server),
    erlang:set_cookie(ServerNode, list_to_atom(Cookie)),
    Started = erlang:monotonic_time(microsecond),
    true = net_kernel:connect_node(ServerNode),
    {Pid, Session, Modules} =
        receive
            {dala_ota, 1, offer, #{session := S, server := P, manifest := Envelope}} ->
                {dala_ota_signed, 1, manifest, Payload, _, _} = binary_to_term(Envelope, [safe]),
                #{modules := Ms} = binary_to_term(Payload, [safe]),
                {P, S, Ms}
        after 30000 -> exit(no_offer)
        end,
    Pid ! {dala_ota, 1, want, #{session => Session, modules => [Sha || #{sha256 := Sha} <- Modules]}},
    Bytes = load(Session, length(Modules), 0),
    Loaded = erlang:monotonic_time(microsecond),
    receive {dala_ota, 1, sent, #{session := Session}} -> ok after 30000 -> exit(no_sent) end,
    Pid ! {dala_ota, 1, result, #{session => Session, result => applied}},
    receive {dala_ota, 1, bye, _} -> ok after 30000 -> exit(no_bye) end,
    Done = erlang:monotonic_time(microsecond),
    io:format("RESULT ~b ~b ~b ~b~n", [length(Modules), Bytes, Loaded - Started, Done - Started]),
    halt(0).

load(_Session, 0, Bytes) ->
    Bytes;
load(Session, Left, Bytes) ->
    receive
        {dala_ota, 1, module, #{session := Session, sha256 := Sha, name := Name, beam := Beam}} ->
            Sha = crypto:hash(sha256, Beam),
            Module = binary_to_atom(Name),
            {module, Module} = code:load_binary(Module, "ota", Beam),
            load(Session, Left - 1, Bytes + byte_size(Beam))
    after 60000 ->
        exit({missing, Left})
    end.
