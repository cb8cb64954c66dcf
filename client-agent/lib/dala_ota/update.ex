defmodule DalaOta.Update do
  @moduledoc """
  One check, start to finish: check in, verify the answer, and when it offers an update,
  verify the manifest, fetch the modules the device lacks (over a distribution session, or over
  HTTP when that cannot run), install them beside the running bundle, switch the `current`
  pointer, hot-load or stage, and report.

  It runs in a worker process of `DalaOta.Agent` and returns the outcome together with what the
  agent must remember: the device state, the pointer and what runs now. Verification always
  comes before use: nothing is decoded before its signature holds, nothing is written before
  its hash matches, nothing is loaded before the whole bundle is written.
  """

  alias DalaOta.{Checkin, Config, DeviceState, Events, Installed, Manifest}
  alias DalaOta.Update.{Context, Install, OverHttp, OverSession}

  require Logger

  @typedoc "What the worker needs; the agent builds it."
  @type runtime :: %{
          optional(:agent) => pid | nil,
          config: Config.t(),
          st: {module, DalaOta.Store.t()},
          crypto: module,
          transport: module,
          state: DeviceState.t(),
          pointer: Installed.pointer() | nil,
          running: %{sequence: non_neg_integer, label: binary | nil, status: atom},
          install_id: binary,
          delivery: delivery | nil
        }

  @typedoc """
  How the last update's modules arrived: over a distribution `:session` or `:http`, which
  modules the device fetched (the ones it lacked), and how many bytes crossed the network.
  """
  @type delivery :: %{
          via: :session | :http,
          sequence: pos_integer,
          modules: [binary],
          bytes: non_neg_integer
        }

  @type outcome ::
          {:no_update, binary | nil}
          | {:applied, pos_integer}
          | {:staged, pos_integer}
          | {:already_staged, pos_integer}

  @doc "Runs one check. Never raises; every failure is `{:error, reason}`."
  @spec run(runtime) :: {{:ok, outcome} | {:error, term}, runtime}
  def run(rt) do
    {result, rt} =
      try do
        check(rt)
      catch
        # What a crash carried (a call's arguments, a message quoting a value) may be a session
        # secret: neither the log nor the result holds more than its shape.
        kind, reason ->
          why = DalaOta.CrashReport.describe(kind, reason, __STACKTRACE__)
          Logger.error("dala_ota: check failed: " <> why)
          {{:error, {:crashed, DalaOta.CrashReport.describe(kind, reason)}}, rt}
      end

    # Reports queued during this check (or earlier, offline) go out now if the server answers.
    if match?({:error, {:offline, _}}, result),
      do: {result, rt},
      else: {result, tap(rt, &flush_events/1)}
  end

  @doc "Sends queued events. Returns how many were sent."
  @spec flush_events(runtime) :: {:ok, non_neg_integer} | {:partial, non_neg_integer, term}
  def flush_events(rt) do
    c = rt.config

    Events.flush(rt.st, fn event ->
      body = Events.body(event, c.channel_key, rt.install_id)

      case Context.http(
             rt,
             :post,
             "/device/v1/events",
             [{"Content-Type", "application/x-erlang-binary"}],
             body,
             c.max_report_answer_bytes
           ) do
        {:ok, status, _, _} when status in 200..299 ->
          :sent

        {:ok, 404, _, body} ->
          if body =~ "device_not_found", do: {:retry, :device_not_found}, else: :drop

        # A refused channel key is the server's configuration (a rotated key, a proxy in the
        # way), not the report's fault: the report waits, bounded by max_queued_events, so a
        # `rolled_back` is not lost to a misconfiguration.
        {:ok, status, _, _} when status in [401, 403] ->
          {:retry, {:http_status, status}}

        {:ok, status, _, _} when status in [408, 429] or status >= 500 ->
          {:retry, {:http_status, status}}

        {:ok, status, _, body} ->
          log_drop(event, status, body)

        {:error, reason} ->
          {:retry, reason}
      end
    end)
  end

  defp log_drop(event, status, body) do
    Logger.warning(
      "dala_ota: the server refused a #{event.kind} report (#{status}): #{String.slice(body, 0, 200)}"
    )

    :drop
  end

  # --- check-in ------------------------------------------------------------------------------

  defp check(rt) do
    c = rt.config
    now = c.clock.now()

    {public, secret} =
      if c.distribution == :auto, do: rt.crypto.x25519_keypair(), else: {nil, nil}

    body =
      Checkin.request(%{
        channel_key: c.channel_key,
        install_id: rt.install_id,
        platform: c.platform,
        base_fingerprint: c.base_fingerprint,
        otp_release: c.otp_release,
        current_sequence: rt.running.sequence,
        agent_version: DalaOta.version(),
        session_key: public
      })

    with {:ok, answer_bytes} <- post_checkin(rt, body),
         {:ok, answer} <- verify_answer(rt, answer_bytes, now) do
      rt = remember_answer(rt, answer)

      case answer.decision do
        :none -> {{:ok, {:no_update, answer.reason}}, rt}
        :update -> update(rt, answer.update, {public, secret}, now)
      end
    else
      {:error, _} = error -> {error, rt}
    end
  end

  defp post_checkin(rt, body) do
    case Context.http(
           rt,
           :post,
           "/device/v1/checkin",
           [{"Content-Type", "application/x-erlang-binary"}],
           body,
           rt.config.max_checkin_bytes
         ) do
      {:ok, 200, _headers, answer} ->
        {:ok, answer}

      {:ok, status, _headers, body} ->
        {:error, {:checkin_refused, status, Context.problem_type(body)}}

      # The server answered, with more than the device reads: a server misbehaving (or an
      # on-path attacker), not a device offline, so queued reports are still tried.
      {:error, {:body_too_large, size, max}} ->
        {:error, {:checkin_too_large, size, max}}

      {:error, reason} ->
        {:error, {:offline, reason}}
    end
  end

  defp verify_answer(rt, bytes, now) do
    device = %{
      install_id: rt.install_id,
      now: now,
      clock_skew: rt.config.clock_skew,
      last_issued_at: rt.state.last_issued_at,
      revocations_version: rt.state.revocations_version
    }

    case Checkin.verify(bytes, Context.trust(rt, now), device) do
      {:ok, answer} -> {:ok, answer}
      {:error, problems} -> {:error, {:checkin_rejected, problems}}
    end
  end

  # Only a fully verified answer moves the device's high-water marks.
  defp remember_answer(rt, answer) do
    state = %{
      rt.state
      | last_issued_at: max(rt.state.last_issued_at, answer.issued_at),
        root_floor: max(rt.state.root_floor, answer.root_version)
    }

    state =
      case answer.revocations do
        nil ->
          state

        list ->
          %{
            state
            | revocations_version: list.version,
              revocations: list.bytes,
              revoked: MapSet.to_list(list.revoked)
          }
      end

    Context.save_state(rt, state)
  end

  # --- the update ----------------------------------------------------------------------------

  defp update(rt, upd, keys, now) do
    staged =
      rt.pointer != nil and rt.pointer.status == :pending and rt.pointer.sequence == upd.sequence

    if staged and rt.running.sequence != upd.sequence do
      {{:ok, {:already_staged, upd.sequence}}, rt}
    else
      case Manifest.verify(upd.manifest, Context.trust(rt, now), Context.device(rt, now)) do
        {:ok, manifest, _verified} ->
          case caps(manifest, rt.config) do
            :ok -> deliver(rt, upd, manifest, keys, now)
            {:error, reason} -> Context.fail(rt, upd.sequence, reason)
          end

        {:error, [:sequence_not_higher]} ->
          # A release this device already installed (and maybe rolled back) or replaced:
          # declining it is not a new failure to report.
          {{:error, {:manifest_rejected, [:sequence_not_higher]}}, rt}

        {:error, problems} ->
          Context.fail(rt, upd.sequence, {:manifest_rejected, problems})
      end
    end
  end

  # The manifest's declared sizes against the device's caps, before a byte is fetched.
  defp caps(manifest, c) do
    too_big =
      for m <- manifest.modules,
          m.size > c.max_module_bytes,
          do: {:module, m.name, m.size, c.max_module_bytes}

    cond do
      length(manifest.modules) > c.max_modules ->
        {:error, {:too_large, {:modules, length(manifest.modules), c.max_modules}}}

      too_big != [] ->
        {:error, {:too_large, hd(too_big)}}

      Manifest.total_size(manifest) > c.max_bundle_bytes ->
        {:error, {:too_large, {:bundle, Manifest.total_size(manifest), c.max_bundle_bytes}}}

      true ->
        :ok
    end
  end

  defp deliver(rt, upd, manifest, {public, secret}, now) do
    wanted = Enum.reject(manifest.modules, &Install.have?(rt, &1.sha256))
    mode = mode(rt.config.apply_mode, upd.apply_mode)

    session_result =
      if upd.session != nil and secret != nil do
        OverSession.run(rt, upd, manifest, wanted, mode, {public, secret}, now)
      else
        :fallback
      end

    case session_result do
      :fallback -> OverHttp.run(rt, upd, manifest, wanted, mode, now)
      result -> result
    end
  end

  defp mode(:auto, offered), do: offered
  defp mode(forced, _offered), do: forced
end
