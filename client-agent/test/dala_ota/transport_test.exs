defmodule DalaOta.TransportTest do
  use ExUnit.Case, async: true

  alias DalaOta.Transport
  alias DalaOta.Transport.{Bridge, Httpc, Tcp}
  alias DalaOta.Test.HttpServer

  @moduletag :tmp_dir
  @compile {:no_warn_undefined, [:public_key, :ssl]}

  defp opts(extra \\ %{}),
    do: Map.merge(%{max_body: 1000, connect_timeout: 2000, timeout: 3000, tls: []}, extra)

  test "auto chooses the TCP client for http, and httpc for https where inets and ssl exist" do
    assert Transport.select(:auto, "http://x") == {:ok, Tcp}
    expected = if Httpc.available?(:https), do: {:ok, Httpc}, else: {:error, :tls_unavailable}
    assert Transport.select(:auto, "https://x") == expected
    assert Transport.select(Bridge, "https://x") == {:ok, Bridge}
  end

  for transport <- [Tcp, Httpc] do
    describe "#{inspect(transport)}" do
      if transport == Httpc, do: @describetag(:httpc)

      test "a request with a body, and the answer's status, headers and body" do
        port =
          HttpServer.start(fn _ -> HttpServer.response(200, "answer", [{"X-Thing", "1"}]) end)

        assert {:ok, 200, headers, "answer"} =
                 unquote(transport).request(
                   :post,
                   "http://127.0.0.1:#{port}/device/v1/checkin",
                   [{"Content-Type", "application/x-erlang-binary"}],
                   "BODY",
                   opts()
                 )

        assert {"x-thing", "1"} in headers

        assert_received {:http_request,
                         %{
                           method: "POST",
                           path: "/device/v1/checkin",
                           body: "BODY",
                           headers: sent
                         }}

        assert {"content-type", "application/x-erlang-binary"} in sent
      end

      test "chunked and close-delimited bodies" do
        port =
          HttpServer.start(fn
            %{path: "/chunked"} -> HttpServer.chunked(200, ["ab", "cde"])
            _ -> HttpServer.until_close(200, "till close")
          end)

        assert {:ok, 200, _, "abcde"} =
                 unquote(transport).request(
                   :get,
                   "http://127.0.0.1:#{port}/chunked",
                   [],
                   nil,
                   opts()
                 )

        assert {:ok, 200, _, "till close"} =
                 unquote(transport).request(
                   :get,
                   "http://127.0.0.1:#{port}/close",
                   [],
                   nil,
                   opts()
                 )
      end

      test "a body over the cap is refused, however it is framed" do
        big = String.duplicate("x", 1500)

        port =
          HttpServer.start(fn
            %{path: "/length"} -> HttpServer.response(200, big)
            %{path: "/chunked"} -> HttpServer.chunked(200, [big])
            _ -> HttpServer.until_close(200, big)
          end)

        for path <- ["/length", "/chunked", "/close"] do
          assert {:error, {:body_too_large, _, 1000}} =
                   unquote(transport).request(
                     :get,
                     "http://127.0.0.1:#{port}#{path}",
                     [],
                     nil,
                     opts()
                   ),
                 path
        end
      end

      test "downloads stream a 2xx body to a file under the cap", %{tmp_dir: dir} do
        port =
          HttpServer.start(fn
            %{path: "/ok"} -> HttpServer.response(200, "bundle bytes")
            _ -> HttpServer.response(404, "no")
          end)

        path = Path.join(dir, "dl")

        assert {:ok, 200, _, 12} =
                 unquote(transport).download(
                   "http://127.0.0.1:#{port}/ok",
                   [{"X-Dala-Channel-Key", "ck_1"}],
                   path,
                   opts()
                 )

        assert File.read!(path) == "bundle bytes"
        assert_received {:http_request, %{headers: headers}}
        assert {"x-dala-channel-key", "ck_1"} in headers

        assert {:ok, 404, _, 0} =
                 unquote(transport).download("http://127.0.0.1:#{port}/missing", [], path, opts())

        assert {:error, {:body_too_large, _, 5}} =
                 unquote(transport).download(
                   "http://127.0.0.1:#{port}/ok",
                   [],
                   path,
                   opts(%{max_body: 5})
                 )
      end

      test "a server that does not answer in time, and one that is not there" do
        port = HttpServer.start(fn _ -> {:sleep, 2000} end)

        assert {:error, _} =
                 unquote(transport).request(
                   :get,
                   "http://127.0.0.1:#{port}/",
                   [],
                   nil,
                   opts(%{timeout: 300})
                 )

        {:ok, l} = :gen_tcp.listen(0, [])
        {:ok, closed} = :inet.port(l)
        :gen_tcp.close(l)

        assert {:error, _} =
                 unquote(transport).request(:get, "http://127.0.0.1:#{closed}/", [], nil, opts())
      end
    end
  end

  describe "the TCP client" do
    test "refuses https: it has no TLS" do
      assert Tcp.request(:get, "https://example.com/", [], nil, opts()) ==
               {:error, :tls_unavailable}
    end

    test "caps the header count" do
      headers = for n <- 1..150, do: {"X-#{n}", "v"}
      port = HttpServer.start(fn _ -> HttpServer.response(200, "", headers) end)

      assert Tcp.request(:get, "http://127.0.0.1:#{port}/", [], nil, opts()) ==
               {:error, :too_many_headers}
    end

    test "the head's caps come from the options: header count and line length" do
      headers = for n <- 1..20, do: {"X-#{n}", "v"}
      port = HttpServer.start(fn _ -> HttpServer.response(200, "ok", headers) end)
      url = "http://127.0.0.1:#{port}/"
      assert {:ok, 200, _, "ok"} = Tcp.request(:get, url, [], nil, opts())

      assert Tcp.request(:get, url, [], nil, Map.put(opts(), :max_headers, 10)) ==
               {:error, :too_many_headers}

      long =
        HttpServer.start(fn _ ->
          HttpServer.response(200, "ok", [{"X-Long", String.duplicate("a", 2000)}])
        end)

      long_url = "http://127.0.0.1:#{long}/"
      assert {:ok, 200, _, "ok"} = Tcp.request(:get, long_url, [], nil, opts())

      assert {:error, _} =
               Tcp.request(:get, long_url, [], nil, Map.put(opts(), :max_header_bytes, 1024))

      # A chunk-size line is held to the same cap.
      chunky =
        HttpServer.start(fn _ ->
          "HTTP/1.1 200 X\r\nTransfer-Encoding: chunked\r\n\r\n2;" <>
            String.duplicate("e", 2000) <> "\r\nok\r\n0\r\n\r\n"
        end)

      assert {:ok, 200, _, "ok"} =
               Tcp.request(:get, "http://127.0.0.1:#{chunky}/", [], nil, opts())

      assert {:error, _} =
               Tcp.request(
                 :get,
                 "http://127.0.0.1:#{chunky}/",
                 [],
                 nil,
                 Map.put(opts(), :max_header_bytes, 1024)
               )
    end

    test "refuses a Content-Length over the cap without reading the body" do
      port =
        HttpServer.start(fn _ -> "HTTP/1.1 200 X\r\nContent-Length: 99999999999\r\n\r\nshort" end)

      assert Tcp.request(:get, "http://127.0.0.1:#{port}/", [], nil, opts()) ==
               {:error, {:body_too_large, 99_999_999_999, 1000}}
    end
  end

  describe "httpc with TLS" do
    @describetag :httpc
    setup do
      {:ok, _} = Application.ensure_all_started(:ssl)

      %{server_config: server, client_config: client} =
        :public_key.pkix_test_data(%{
          # SHA-256 signatures: newer OTP releases no longer accept the SHA-1 default in TLS.
          server_chain: %{
            root: [key: {:namedCurve, :secp256r1}, digest: :sha256],
            peer: [
              key: {:namedCurve, :secp256r1},
              digest: :sha256,
              extensions: [{:Extension, {2, 5, 29, 17}, false, [dNSName: ~c"localhost"]}]
            ]
          },
          client_chain: %{
            root: [key: {:namedCurve, :secp256r1}, digest: :sha256],
            peer: [key: {:namedCurve, :secp256r1}, digest: :sha256]
          }
        })

      port =
        HttpServer.start(fn _ -> HttpServer.response(200, "secure") end,
          tls: Keyword.take(server, [:cert, :key, :cacerts])
        )

      {:ok, port: port, cacerts: Keyword.fetch!(client, :cacerts)}
    end

    test "verifies the server against the pinned roots", %{port: port, cacerts: cacerts} do
      assert {:ok, 200, _, "secure"} =
               Httpc.request(
                 :get,
                 "https://localhost:#{port}/",
                 [],
                 nil,
                 opts(%{tls: [cacerts: cacerts]})
               )
    end

    test "refuses a server the roots do not vouch for", %{port: port} do
      assert {:error, _} = Httpc.request(:get, "https://localhost:#{port}/", [], nil, opts())
    end
  end

  describe "the native bridge seam" do
    test "a request travels as a message and the answer comes back" do
      test = self()

      bridge =
        spawn(fn ->
          receive do
            {:dala_ota_http, from, ref, request} ->
              send(test, {:bridged, request})
              send(from, {:dala_ota_http, ref, {:ok, 200, [{"a", "b"}], "native"}})
          end
        end)

      assert {:ok, 200, [{"a", "b"}], "native"} =
               Bridge.request(:post, "https://x/y", [{"h", "v"}], "B", opts(%{bridge: bridge}))

      assert_received {:bridged, %{method: :post, url: "https://x/y", body: "B", max_body: 1000}}
    end

    test "the cap holds whatever the bridge returns, and silence is a timeout", %{tmp_dir: dir} do
      big =
        spawn(fn ->
          receive do
            {:dala_ota_http, from, ref, _} ->
              send(from, {:dala_ota_http, ref, {:ok, 200, [], String.duplicate("x", 2000)}})
          end
        end)

      assert {:error, {:body_too_large, 2000, 1000}} =
               Bridge.request(:get, "u", [], nil, opts(%{bridge: big}))

      silent = spawn(fn -> Process.sleep(5000) end)

      assert Bridge.request(:get, "u", [], nil, opts(%{bridge: silent, timeout: 100})) ==
               {:error, :timeout}

      assert Bridge.request(:get, "u", [], nil, opts(%{bridge: :no_such_bridge})) ==
               {:error, :no_bridge}

      assert Bridge.download("u", [], Path.join(dir, "f"), opts()) == {:error, :no_bridge}
    end
  end
end
