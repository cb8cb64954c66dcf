defmodule DalaOta.Transport.Tcp do
  @moduledoc """
  A small HTTP/1.1 client over `:gen_tcp`, for device builds without inets or ssl. It speaks
  plain HTTP only (an `https://` URL is `{:error, :tls_unavailable}`); the agent's documents are
  signed, so integrity never depends on the channel.

  Every read is bounded: the status line, each header line and each chunk-size line by
  `opts.max_header_bytes`, the header count by `opts.max_headers` (the agent's settings of the
  same names; 8 KiB and 100 when a caller gives none), the body by `opts.max_body` (checked
  against `Content-Length` before reading, and while reading chunked or close-delimited
  bodies), and the whole exchange by one deadline. It sends `Connection: close` and reads one
  response per connection.
  """
  @behaviour DalaOta.Transport

  alias DalaOta.Transport.Sink

  @default_max_header_bytes 8192
  @default_max_headers 100
  @chunk 65_536

  @impl true
  def request(method, url, headers, body, opts) do
    with_response(method, url, headers, body, opts, fn socket, status, resp_headers, deadline ->
      with {:ok, bytes} <- read_body(socket, resp_headers, opts, deadline, Sink.memory()) do
        {:ok, status, resp_headers, bytes}
      end
    end)
  end

  @impl true
  def download(url, headers, path, opts) do
    with_response(:get, url, headers, nil, opts, fn socket, status, resp_headers, deadline ->
      if status in 200..299 do
        Sink.to_file(path, fn sink ->
          with {:ok, written} <- read_body(socket, resp_headers, opts, deadline, sink),
               :ok <- Sink.sync(sink) do
            {:ok, status, resp_headers, written}
          end
        end)
      else
        with {:ok, _} <- read_body(socket, resp_headers, opts, deadline, Sink.memory()) do
          {:ok, status, resp_headers, 0}
        end
      end
    end)
  end

  defp with_response(method, url, headers, body, opts, fun) do
    deadline = System.monotonic_time(:millisecond) + opts.timeout

    with {:ok, host, port, target} <- parse(url),
         {:ok, socket} <- connect(host, port, opts) do
      try do
        with :ok <- :gen_tcp.send(socket, encode(method, host, port, target, headers, body)),
             {:ok, status, resp_headers} <- read_head(socket, deadline, head_caps(opts)) do
          fun.(socket, status, resp_headers, deadline)
        end
      rescue
        # A socket option refused on a socket the peer closed, say: an error, never a crash.
        e -> {:error, {:http_client, Exception.message(e)}}
      after
        :gen_tcp.close(socket)
      end
    end
  end

  @doc false
  def parse(url) do
    case URI.parse(url) do
      %URI{scheme: "http", host: host, port: port, path: path, query: query}
      when is_binary(host) and host != "" ->
        target = (path || "/") <> if(query, do: "?" <> query, else: "")
        {:ok, host, port || 80, target}

      %URI{scheme: "https"} ->
        {:error, :tls_unavailable}

      _ ->
        {:error, {:bad_url, url}}
    end
  end

  defp connect(host, port, opts) do
    options = [
      :binary,
      active: false,
      packet: :raw,
      send_timeout: opts.timeout,
      send_timeout_close: true
    ]

    case :gen_tcp.connect(String.to_charlist(host), port, options, opts.connect_timeout) do
      {:ok, socket} -> {:ok, socket}
      {:error, reason} -> {:error, {:connect, reason}}
    end
  end

  defp encode(method, host, port, target, headers, body) do
    body = if body == nil, do: "", else: IO.iodata_to_binary(body)
    verb = method |> Atom.to_string() |> String.upcase()

    lines =
      [
        {"Host", if(port == 80, do: host, else: "#{host}:#{port}")},
        {"Connection", "close"},
        {"User-Agent", "dala_ota"}
      ] ++
        headers ++
        if(method == :post, do: [{"Content-Length", Integer.to_string(byte_size(body))}], else: [])

    [
      verb,
      " ",
      target,
      " HTTP/1.1\r\n",
      Enum.map(lines, fn {k, v} -> [k, ": ", v, "\r\n"] end),
      "\r\n",
      body
    ]
  end

  defp head_caps(opts) do
    %{
      line: Map.get(opts, :max_header_bytes, @default_max_header_bytes),
      count: Map.get(opts, :max_headers, @default_max_headers)
    }
  end

  # A line longer than the cap makes the socket's HTTP parser fail. The user-level buffer must
  # hold a whole line up to the cap from the first read on: a line mode entered later (a chunk
  # size) splits a line that arrived into a smaller buffer.
  defp read_head(socket, deadline, caps) do
    :ok = :inet.setopts(socket, packet: :http_bin, packet_size: caps.line, buffer: caps.line)

    with {:ok, {:http_response, _version, status, _reason}} <- recv(socket, 0, deadline),
         {:ok, headers} <- read_headers(socket, deadline, caps.count, []) do
      :ok = :inet.setopts(socket, packet: :raw)
      {:ok, status, headers}
    else
      {:ok, other} -> {:error, {:bad_response, other}}
      {:error, _} = error -> error
    end
  end

  defp read_headers(_socket, _deadline, max, acc) when length(acc) > max,
    do: {:error, :too_many_headers}

  defp read_headers(socket, deadline, max, acc) do
    case recv(socket, 0, deadline) do
      {:ok, :http_eoh} ->
        {:ok, Enum.reverse(acc)}

      {:ok, {:http_header, _, name, _, value}} ->
        read_headers(socket, deadline, max, [{header_name(name), value} | acc])

      {:ok, other} ->
        {:error, {:bad_header, other}}

      {:error, _} = error ->
        error
    end
  end

  defp header_name(name) when is_atom(name), do: name |> Atom.to_string() |> String.downcase()
  defp header_name(name), do: String.downcase(name)

  defp read_body(socket, headers, opts, deadline, sink) do
    max = opts.max_body
    length = DalaOta.Transport.header(headers, "content-length")
    chunked = DalaOta.Transport.header(headers, "transfer-encoding")

    cond do
      chunked != nil and String.downcase(chunked) =~ "chunked" ->
        read_chunks(socket, {max, head_caps(opts).line}, deadline, sink)

      length != nil ->
        case Integer.parse(length) do
          {n, ""} when n >= 0 and n <= max -> read_exactly(socket, n, deadline, sink)
          {n, ""} when n > max -> {:error, {:body_too_large, n, max}}
          _ -> {:error, {:bad_content_length, length}}
        end

      true ->
        read_until_close(socket, max, deadline, sink)
    end
  end

  defp read_exactly(_socket, 0, _deadline, sink), do: finish(sink)

  defp read_exactly(socket, n, deadline, sink) do
    case recv(socket, min(n, @chunk), deadline) do
      {:ok, data} -> read_exactly(socket, n - byte_size(data), deadline, Sink.put(sink, data))
      {:error, _} = error -> error
    end
  end

  defp read_until_close(socket, max, deadline, sink) do
    case recv(socket, 0, deadline) do
      {:ok, data} ->
        sink = Sink.put(sink, data)

        if Sink.size(sink) > max,
          do: {:error, {:body_too_large, Sink.size(sink), max}},
          else: read_until_close(socket, max, deadline, sink)

      {:error, :closed} ->
        finish(sink)

      {:error, _} = error ->
        error
    end
  end

  defp read_chunks(socket, {max, line_cap} = caps, deadline, sink) do
    :ok = :inet.setopts(socket, packet: :line, packet_size: line_cap)

    result =
      with {:ok, line} <- recv(socket, 0, deadline),
           {:ok, size} <- chunk_size(line) do
        :ok = :inet.setopts(socket, packet: :raw)

        cond do
          size == 0 ->
            :done

          Sink.size(sink) + size > max ->
            {:error, {:body_too_large, Sink.size(sink) + size, max}}

          true ->
            with {:ok, sink} <- read_chunk(socket, size, deadline, sink),
                 {:ok, "\r\n"} <- recv(socket, 2, deadline) do
              {:more, sink}
            else
              {:ok, _} -> {:error, :bad_chunk}
              error -> error
            end
        end
      end

    case result do
      :done -> finish(sink)
      {:more, sink} -> read_chunks(socket, caps, deadline, sink)
      {:error, _} = error -> error
    end
  end

  defp read_chunk(_socket, 0, _deadline, sink), do: {:ok, sink}

  defp read_chunk(socket, n, deadline, sink) do
    case recv(socket, min(n, @chunk), deadline) do
      {:ok, data} -> read_chunk(socket, n - byte_size(data), deadline, Sink.put(sink, data))
      error -> error
    end
  end

  defp chunk_size(line) do
    hex = line |> String.trim() |> String.split(";") |> hd()

    case Integer.parse(hex, 16) do
      {size, ""} when size >= 0 -> {:ok, size}
      _ -> {:error, :bad_chunk}
    end
  end

  defp recv(socket, n, deadline) do
    remaining = deadline - System.monotonic_time(:millisecond)

    if remaining <= 0 do
      {:error, :timeout}
    else
      :gen_tcp.recv(socket, n, remaining)
    end
  end

  defp finish(sink), do: {:ok, Sink.contents(sink)}
end
