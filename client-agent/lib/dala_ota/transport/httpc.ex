defmodule DalaOta.Transport.Httpc do
  @moduledoc """
  `DalaOta.Transport` on OTP's `:httpc`, in a profile of its own (so the app's own httpc
  settings are untouched), with TLS through `:ssl`.

  TLS verifies the server by default: `verify: :verify_peer` against the system's CA store
  (`:public_key.cacerts_get/0`) with hostname checking. `tls: [cacerts: ...]` in the agent's
  config pins other roots. Successful bodies are streamed, so the size cap holds while reading;
  redirects are never followed.
  """
  @behaviour DalaOta.Transport

  alias DalaOta.Transport.Sink

  @profile :dala_ota

  @doc "Whether inets (and, for `:https`, ssl) can be used on this device."
  @spec available?(:http | :https) :: boolean
  def available?(scheme) do
    app?(:inets) and Code.ensure_loaded?(:httpc) and
      (scheme == :http or (app?(:ssl) and Code.ensure_loaded?(:ssl)))
  end

  defp app?(app) do
    case Application.load(app) do
      :ok -> true
      {:error, {:already_loaded, _}} -> true
      {:error, _} -> false
    end
  end

  @impl true
  def request(method, url, headers, body, opts) do
    run(method, url, headers, body, opts, Sink.memory())
  end

  @impl true
  def download(url, headers, path, opts) do
    Sink.to_file(path, &run(:get, url, headers, nil, opts, &1))
  end

  defp run(method, url, headers, body, opts, sink) do
    with :ok <- start(url),
         {:ok, ref} <- send_request(method, url, headers, body, opts) do
      deadline = System.monotonic_time(:millisecond) + opts.timeout

      try do
        receive_response(ref, opts.max_body, deadline, sink)
      after
        :httpc.cancel_request(ref, @profile)
      end
    end
  end

  defp start(url) do
    https = URI.parse(url).scheme == "https"

    with {:ok, _} <- Application.ensure_all_started(:inets),
         {:ok, _} <- if(https, do: Application.ensure_all_started(:ssl), else: {:ok, []}) do
      case :inets.start(:httpc, profile: @profile) do
        {:ok, _} -> :ok
        {:error, {:already_started, _}} -> :ok
        {:error, reason} -> {:error, {:httpc, reason}}
      end
    else
      {:error, reason} -> {:error, {:httpc_unavailable, reason}}
    end
  end

  defp send_request(method, url, headers, body, opts) do
    url = String.to_charlist(url)
    content_type = DalaOta.Transport.header(headers, "content-type") || "application/octet-stream"

    headers =
      for {k, v} <- headers,
          String.downcase(k) != "content-type",
          do: {String.to_charlist(k), String.to_charlist(v)}

    request =
      case method do
        :get -> {url, headers}
        :post -> {url, headers, String.to_charlist(content_type), IO.iodata_to_binary(body || "")}
      end

    http_options = [
      timeout: opts.timeout,
      connect_timeout: opts.connect_timeout,
      autoredirect: false,
      ssl: ssl_options(url, Map.get(opts, :tls, []))
    ]

    case :httpc.request(
           method,
           request,
           http_options,
           [sync: false, stream: {:self, :once}, body_format: :binary],
           @profile
         ) do
      {:ok, ref} -> {:ok, ref}
      {:error, reason} -> {:error, {:httpc, reason}}
    end
  end

  defp ssl_options(url, extra) do
    if List.starts_with?(url, ~c"https") do
      base = [
        verify: :verify_peer,
        depth: 10,
        customize_hostname_check: [match_fun: :public_key.pkix_verify_hostname_match_fun(:https)]
      ]

      base =
        if Keyword.has_key?(extra, :cacerts) or Keyword.has_key?(extra, :cacertfile),
          do: base,
          else: [{:cacerts, system_cacerts()} | base]

      Keyword.merge(base, extra)
    else
      []
    end
  end

  defp system_cacerts do
    :public_key.cacerts_get()
  rescue
    _ -> []
  end

  # With `stream: {:self, :once}` httpc streams 2xx bodies one chunk per request for more, so the
  # cap is enforced before anything beyond it is read; other statuses arrive whole.
  defp receive_response(ref, max, deadline, sink) do
    remaining = max(deadline - System.monotonic_time(:millisecond), 0)

    receive do
      {:http, {^ref, :stream_start, headers, pid}} ->
        :ok = :httpc.stream_next(pid)
        stream(ref, pid, 200, normalise(headers), max, deadline, sink)

      {:http, {^ref, {{_, status, _}, headers, body}}} ->
        cond do
          byte_size(body) > max ->
            {:error, {:body_too_large, byte_size(body), max}}

          # A download keeps only a successful body.
          elem(sink, 0) == :file and status not in 200..299 ->
            {:ok, status, normalise(headers), 0}

          true ->
            finish(Sink.put(sink, body), status, normalise(headers))
        end

      {:http, {^ref, {:error, reason}}} ->
        {:error, {:http, reason}}
    after
      remaining -> {:error, :timeout}
    end
  end

  defp stream(ref, pid, status, headers, max, deadline, sink) do
    remaining = max(deadline - System.monotonic_time(:millisecond), 0)

    receive do
      {:http, {^ref, :stream, chunk}} ->
        sink = Sink.put(sink, chunk)

        if Sink.size(sink) > max do
          {:error, {:body_too_large, Sink.size(sink), max}}
        else
          :ok = :httpc.stream_next(pid)
          stream(ref, pid, status, headers, max, deadline, sink)
        end

      {:http, {^ref, :stream_end, _trailers}} ->
        finish(sink, status, headers)

      {:http, {^ref, {:error, reason}}} ->
        {:error, {:http, reason}}
    after
      remaining -> {:error, :timeout}
    end
  end

  defp normalise(headers),
    do: for({k, v} <- headers, do: {k |> to_string() |> String.downcase(), to_string(v)})

  defp finish(sink, status, headers) do
    case Sink.sync(sink) do
      :ok -> {:ok, status, headers, Sink.contents(sink)}
      {:error, reason} -> {:error, {:download_file, reason}}
    end
  end
end
