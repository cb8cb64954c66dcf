defmodule DalaOta.Update.Context do
  @moduledoc """
  What every step of a check shares: the trust context and the device as verification sees
  them, reporting to the server, the device's remembered state, and HTTP to the server through
  the configured transport.
  """

  alias DalaOta.{Config, DeviceState, Events, Reason, Update}

  @doc "Reports a failure for the server and returns it as the outcome."
  @spec fail(Update.runtime(), pos_integer, term) :: {{:error, term}, Update.runtime()}
  def fail(rt, seq, reason) do
    report(rt, :failed, seq, Reason.text(reason), nil)
    {{:error, reason}, rt}
  end

  @doc "Queues a report for the server (sent at the end of the check, or later)."
  @spec report(Update.runtime(), Events.kind(), pos_integer, binary | nil, non_neg_integer | nil) ::
          :ok | {:error, term}
  def report(rt, kind, seq, reason, bytes),
    do: Events.record(rt.st, rt.config, kind, seq, reason, bytes)

  @doc "The trust context: pinned roots, revoked keys and root floor the device knows."
  @spec trust(Update.runtime(), integer) :: DalaOta.Trust.context()
  def trust(rt, now) do
    %{
      crypto: rt.crypto,
      pinned: rt.config.root_keys,
      now: now,
      revoked: MapSet.new(rt.state.revoked),
      min_root_version: rt.state.root_floor
    }
  end

  @doc """
  The device as manifests are judged against it. A manifest must exceed both what runs and the
  highest sequence the device ever installed, so a rolled-back or replayed release stays out.
  """
  @spec device(Update.runtime(), integer) :: DalaOta.Manifest.device()
  def device(rt, now) do
    %{
      floor: max(rt.running.sequence, rt.state.highest_sequence),
      now: now,
      clock_skew: rt.config.clock_skew,
      app: rt.config.app,
      base: Config.base(rt.config),
      agent_version: DalaOta.version()
    }
  end

  @doc "Writes the device state and keeps it in the runtime."
  @spec save_state(Update.runtime(), DeviceState.t()) :: Update.runtime()
  def save_state(rt, state) do
    DeviceState.save(rt.st, state)
    %{rt | state: state}
  end

  @doc "A request to the server with the configured transport, timeouts and a body cap."
  @spec http(
          Update.runtime(),
          :get | :post,
          binary,
          DalaOta.Transport.headers(),
          iodata | nil,
          pos_integer
        ) ::
          {:ok, pos_integer, DalaOta.Transport.headers(), binary} | {:error, term}
  def http(rt, method, path, headers, body, max) do
    c = rt.config

    rt.transport.request(
      method,
      c.server_url <> path,
      headers,
      body,
      transport_opts(c, max, c.http_timeout)
    )
  end

  @doc "The transport options for a body cap and a deadline."
  @spec transport_opts(Config.t(), pos_integer, pos_integer) :: DalaOta.Transport.opts()
  def transport_opts(c, max, timeout) do
    %{
      max_body: max,
      connect_timeout: c.http_connect_timeout,
      timeout: timeout,
      tls: c.tls,
      bridge: c.bridge,
      max_header_bytes: c.max_header_bytes,
      max_headers: c.max_headers
    }
  end

  @doc "The `type` of a problem+json answer, or nil."
  @spec problem_type(term) :: binary | nil
  def problem_type(body) when is_binary(body) do
    case Regex.run(~r/"type"\s*:\s*"([a-z_]+)"/, body) do
      [_, type] -> type
      _ -> nil
    end
  end

  def problem_type(_), do: nil
end
