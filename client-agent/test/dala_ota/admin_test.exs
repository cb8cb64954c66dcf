defmodule DalaOta.AdminTest do
  use ExUnit.Case, async: true

  alias DalaOta.Admin
  alias DalaOta.Admin.Json
  alias DalaOta.Test.HttpServer

  test "JSON round trips, with escapes and surrogate pairs" do
    term = %{"a" => [1, -2.5, true, false, nil, "q\"\\\n\t\u0001é"], "b" => %{}}
    assert Json.decode(Json.encode(term)) == {:ok, term}
    assert Json.decode(~s({"s":"\\ud83d\\ude00 \\u00e9"})) == {:ok, %{"s" => "😀 é"}}
    assert Json.decode(~s([1, 2)) == {:error, :bad_array}
    assert Json.decode(~s({"a":1} x)) == {:error, :trailing_data}
    assert Json.encode(%{rollout: %{percent: 10}}) == ~s({"rollout":{"percent":10}})
  end

  test "publish posts the bundle and deploy posts JSON, both with the bearer token" do
    port =
      HttpServer.start(fn
        %{path: "/api/v1/apps/com.example.app/releases"} ->
          HttpServer.response(201, ~s({"sequence":7,"label":"v1"}))

        %{path: "/api/v1/apps/com.example.app/deployments"} ->
          HttpServer.response(201, ~s({"id":"d-1"}))
      end)

    admin = Admin.new("http://127.0.0.1:#{port}/", "ota_token")
    assert {:ok, %{"sequence" => 7}} = Admin.publish(admin, "com.example.app", "BUNDLE")
    assert_received {:http_request, %{method: "POST", body: "BUNDLE", headers: h1}}
    assert {"authorization", "Bearer ota_token"} in h1
    assert {"content-type", "application/vnd.dala-ota.bundle"} in h1

    assert {:ok, %{"id" => "d-1"}} =
             Admin.deploy(admin, "com.example.app", "beta", 7, 10, %{mandatory: true})

    assert_received {:http_request, %{body: body}}

    assert Json.decode(body) ==
             {:ok,
              %{
                "channel" => "beta",
                "sequence" => 7,
                "rollout" => %{"percent" => 10},
                "mandatory" => true
              }}
  end

  test "an admin error comes back with its status and problem" do
    port = HttpServer.start(fn _ -> HttpServer.response(403, ~s({"type":"forbidden"})) end)

    assert Admin.publish(Admin.new("http://127.0.0.1:#{port}", "t"), "x", "B") ==
             {:error, {:http, 403, %{"type" => "forbidden"}}}
  end
end
