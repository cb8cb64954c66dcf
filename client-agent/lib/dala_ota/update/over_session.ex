defmodule DalaOta.Update.OverSession do
  @moduledoc """
  Delivery over a distribution session (`DalaOta.Session`): the modules the device lacks, then
  the install, then the result told to the server, which files `downloaded`, `applied` and
  `failed` itself. Whatever happens, the session is closed: distribution stopped, cookie dead.
  """

  alias DalaOta.{Manifest, Reason, Session, SessionCookie, Update}
  alias DalaOta.Update.{Context, Install}

  require Logger

  @doc """
  Fetches `wanted` over the session the answer offered, installs and applies, and reports the
  result over the session. `:fallback` means the session could not run and the same bundle
  should come over HTTP.
  """
  @spec run(
          Update.runtime(),
          map,
          Manifest.t(),
          [Manifest.module_entry()],
          :hot | :next_start,
          {binary, binary},
          integer
        ) ::
          {{:ok, Update.outcome()} | {:error, term}, Update.runtime()} | :fallback
  def run(rt, upd, manifest, wanted, mode, {public, secret}, now) do
    c = rt.config

    params = %{
      session: upd.session,
      crypto: rt.crypto,
      dist: c.dist,
      install_id: rt.install_id,
      device_public: public,
      device_secret: secret,
      expected_manifest: upd.manifest,
      verify_manifest: fn bytes ->
        case Manifest.verify(bytes, Context.trust(rt, now), Context.device(rt, now)) do
          {:ok, _, _} -> :ok
          {:error, problems} -> {:error, {:manifest_rejected, problems}}
        end
      end,
      now: now,
      random_cookie: fn -> SessionCookie.random(rt.crypto) end,
      limits: %{max_module_bytes: c.max_module_bytes, max_bundle_bytes: c.max_bundle_bytes},
      # The agent learns the session's nodes before distribution starts: if it must kill this
      # worker at its deadline, it still kills the right cookie.
      announce: fn server, device ->
        if is_pid(Map.get(rt, :agent)),
          do: send(rt.agent, {:session_nodes, self(), server, device})
      end,
      timeouts: %{
        start: c.dist_start_timeout,
        connect: c.dist_connect_timeout,
        offer: c.offer_timeout,
        module: c.module_timeout,
        bye: c.bye_timeout
      }
    }

    case Session.open(params) do
      {:ok, session} ->
        try do
          case Session.fetch(session, wanted) do
            {:ok, fetched, _sent} ->
              rt = %{rt | delivery: delivery(manifest, wanted, fetched)}
              # The server files `downloaded`, `applied` and `failed` itself from the session.
              {result, rt} = Install.run(rt, manifest, upd.manifest, fetched, mode)
              outcome = session_result(result)
              unrecorded(rt, upd, Session.finish(session, outcome), outcome)
              {result, rt}

            {:error, {:unavailable, reason}} ->
              Logger.info(
                "dala_ota: the session ended early (#{inspect(reason)}); downloading over HTTP"
              )

              :fallback

            {:error, {:rejected, reason}} ->
              outcome = {:failed, Reason.text(reason)}
              unrecorded(rt, upd, Session.finish(session, outcome), outcome)
              {{:error, {:delivery_rejected, reason}}, rt}
          end
        after
          Session.close(session)
        end

      {:error, {:unavailable, reason}} ->
        Logger.info(
          "dala_ota: no distribution session (#{inspect(reason)}); downloading over HTTP"
        )

        :fallback

      {:error, {:rejected, {:manifest_rejected, _} = reason}} ->
        # Reported to the server through the session already, and acknowledged.
        {{:error, reason}, rt}

      {:error, {:rejected_unrecorded, {:manifest_rejected, _} = reason}} ->
        Context.fail(rt, upd.sequence, reason)

      {:error, {:rejected_unrecorded, reason}} ->
        Context.fail(rt, upd.sequence, {:session_rejected, reason})

      {:error, {:rejected, reason}} ->
        Context.fail(rt, upd.sequence, {:session_rejected, reason})
    end
  end

  defp delivery(manifest, wanted, fetched) do
    %{
      via: :session,
      sequence: manifest.sequence,
      modules: Enum.map(wanted, & &1.name),
      bytes: fetched |> Map.values() |> Enum.map(&byte_size/1) |> Enum.sum()
    }
  end

  # Without `bye` the device cannot know whether the server filed the result, so it reports it
  # over HTTP too. A duplicate costs nothing: the server counts outcomes per device
  # (`count(distinct device_id)` in its rollout rules), so a result filed twice counts once.
  # `staged` files nothing on the server; the boot that loads the bundle reports `applied`.
  defp unrecorded(rt, upd, {:ok, :no_bye}, :applied),
    do: Context.report(rt, :applied, upd.sequence, nil, nil)

  defp unrecorded(rt, upd, {:ok, :no_bye}, {:failed, text}),
    do: Context.report(rt, :failed, upd.sequence, text, nil)

  defp unrecorded(_rt, _upd, _finished, _outcome), do: :ok

  defp session_result({:ok, {:applied, _}}), do: :applied
  defp session_result({:ok, {:staged, _}}), do: :staged
  defp session_result({:error, reason}), do: {:failed, Reason.text(reason)}
end
