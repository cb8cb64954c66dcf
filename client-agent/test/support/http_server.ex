defmodule DalaOta.Test.HttpServer do
  @moduledoc """
  A one-port HTTP/1.1 server for transport tests, over `:gen_tcp` or, with `tls:` options,
  `:ssl`. Each connection reads one request and answers with `handler.(request)`, which returns
  raw response bytes (so tests can send chunked, close-delimited or malformed answers) or
  `{:sleep, ms}`. Requests are sent to the test process as `{:http_request, request}`.
  """

  @doc "Starts the server; returns its port."
  def start(handler, opts \\ []) do
    test = self()
    tls = Keyword.get(opts, :tls)

    {:ok, listen} =
      if tls do
        :ssl.listen(0, [:binary, active: false, reuseaddr: true] ++ tls)
      else
        :gen_tcp.listen(0, [:binary, active: false, reuseaddr: true])
      end

    {:ok, {_, port}} = if tls, do: :ssl.sockname(listen), else: :inet.sockname(listen)
    pid = spawn(fn -> accept(listen, handler, test, tls != nil) end)

    if tls,
      do: :ssl.controlling_process(listen, pid),
      else: :gen_tcp.controlling_process(listen, pid)

    port
  end

  defp accept(listen, handler, test, tls) do
    result =
      if tls do
        with {:ok, socket} <- :ssl.transport_accept(listen),
             {:ok, socket} <- :ssl.handshake(socket, 5000) do
          {:ok, socket}
        end
      else
        :gen_tcp.accept(listen)
      end

    case result do
      {:ok, socket} ->
        spawn(fn -> serve(socket, handler, test, tls) end)
        accept(listen, handler, test, tls)

      {:error, :closed} ->
        :ok

      {:error, _} ->
        accept(listen, handler, test, tls)
    end
  end

  defp serve(socket, handler, test, tls) do
    case read_request(socket, tls, "") do
      {:ok, request} ->
        send(test, {:http_request, request})

        case handler.(request) do
          {:sleep, ms} -> Process.sleep(ms)
          bytes -> send_bytes(socket, tls, bytes)
        end

      _ ->
        :ok
    end

    if tls, do: :ssl.close(socket), else: :gen_tcp.close(socket)
  end

  defp read_request(socket, tls, acc) do
    case String.split(acc, "\r\n\r\n", parts: 2) do
      [head, body] ->
        [request_line | header_lines] = String.split(head, "\r\n")
        [method, path, _] = String.split(request_line, " ")

        headers =
          for line <- header_lines,
              [k, v] = String.split(line, ": ", parts: 2),
              do: {String.downcase(k), v}

        length =
          headers
          |> List.keyfind("content-length", 0)
          |> then(fn
            nil -> 0
            {_, n} -> String.to_integer(n)
          end)

        body = read_more(socket, tls, body, length)
        {:ok, %{method: method, path: path, headers: headers, body: body}}

      [_] ->
        case recv(socket, tls) do
          {:ok, data} -> read_request(socket, tls, acc <> data)
          error -> error
        end
    end
  end

  defp read_more(_socket, _tls, body, length) when byte_size(body) >= length, do: body

  defp read_more(socket, tls, body, length) do
    {:ok, data} = recv(socket, tls)
    read_more(socket, tls, body <> data, length)
  end

  defp recv(socket, true), do: :ssl.recv(socket, 0, 5000)
  defp recv(socket, false), do: :gen_tcp.recv(socket, 0, 5000)

  defp send_bytes(socket, true, bytes), do: :ssl.send(socket, bytes)
  defp send_bytes(socket, false, bytes), do: :gen_tcp.send(socket, bytes)

  @doc "A complete response with a Content-Length."
  def response(status, body, headers \\ []) do
    head = Enum.map(headers, fn {k, v} -> "#{k}: #{v}\r\n" end)

    ["HTTP/1.1 #{status} X\r\n", head, "Content-Length: #{byte_size(body)}\r\n\r\n", body]
    |> IO.iodata_to_binary()
  end

  @doc "A chunked response."
  def chunked(status, chunks) do
    body = Enum.map(chunks, fn c -> [Integer.to_string(byte_size(c), 16), "\r\n", c, "\r\n"] end)

    IO.iodata_to_binary([
      "HTTP/1.1 #{status} X\r\nTransfer-Encoding: chunked\r\n\r\n",
      body,
      "0\r\n\r\n"
    ])
  end

  @doc "A response whose body ends when the connection closes."
  def until_close(status, body), do: "HTTP/1.1 #{status} X\r\nConnection: close\r\n\r\n" <> body
end
