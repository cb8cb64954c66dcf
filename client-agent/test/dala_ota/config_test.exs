defmodule DalaOta.ConfigTest do
  use ExUnit.Case, async: true

  alias DalaOta.Config
  alias DalaOta.Test.DeviceFixture, as: F

  @moduletag :tmp_dir

  test "a minimal configuration takes every default", %{tmp_dir: dir} do
    assert {:ok, %Config{} = c} = Config.new(F.options(dir))
    assert c.checkin_interval == 3600 and c.apply_mode == :auto and c.distribution == :auto
    assert c.max_boots == 3 and c.health_window == 30 and c.confirm_after == nil
    assert c.store == DalaOta.Store.Disk and c.clock == DalaOta.Clock.System
  end

  test "every problem is reported at once, unknown settings included", %{tmp_dir: dir} do
    opts =
      F.options(dir,
        server_url: "ftp://x",
        channel_key: "nope",
        root_keys: [<<1, 2>>],
        max_boots: 0,
        apply_mode: :later,
        checkin_jitter: 10,
        checkin_interval: 5,
        unknown_setting: 1
      )

    assert {:error, {:invalid_config, problems}} = Config.new(opts)
    keys = Keyword.keys(problems)

    for key <- [
          :unknown_setting,
          :server_url,
          :channel_key,
          :root_keys,
          :max_boots,
          :apply_mode,
          :checkin_jitter
        ],
        do: assert(key in keys, inspect(key))
  end

  test "options that are not a keyword list or a map" do
    for bad <- ["data_dir=/x", [1, 2], nil, [{"data_dir", "/x"}]] do
      assert Config.new(bad) ==
               {:error, {:invalid_config, [options: "must be a keyword list or a map"]}}
    end
  end

  test "missing required settings", %{tmp_dir: dir} do
    assert {:error, {:invalid_config, problems}} = Config.new(data_dir: dir)

    for key <- [:server_url, :app, :channel_key, :platform, :base_fingerprint, :root_keys],
        do: assert(Keyword.has_key?(problems, key))
  end

  test "limits and timeouts are bounded", %{tmp_dir: dir} do
    for {key, bad} <- [
          max_module_bytes: 10,
          max_bundle_bytes: 10 * 1024 * 1024 * 1024,
          check_timeout: 0,
          module_timeout: -1,
          max_queued_events: 0
        ] do
      assert {:error, {:invalid_config, [{^key, _}]}} = Config.new(F.options(dir, [{key, bad}]))
    end
  end

  test "every numeric setting takes both of its bounds and refuses one step beyond", %{
    tmp_dir: dir
  } do
    numeric = for key <- Config.keys(), bounds = Config.bounds(key), do: {key, bounds}
    # Every limit and timeout of docs/agent.md, at least.
    assert length(numeric) >= 25

    for {key, {min, max}} <- numeric do
      # Keep jitter within the interval, the one cross-check between two settings.
      base =
        case key do
          :checkin_jitter -> [checkin_interval: 604_800]
          :checkin_interval -> [checkin_jitter: 0]
          _ -> []
        end

      for ok <- [min, max] do
        assert {:ok, config} = Config.new(F.options(dir, base ++ [{key, ok}])), "#{key} #{ok}"
        assert Map.fetch!(config, key) == ok
      end

      for bad <- [min - 1, max + 1, "#{min}"] do
        assert {:error, {:invalid_config, [{^key, why}]}} =
                 Config.new(F.options(dir, base ++ [{key, bad}])),
               "#{key} #{inspect(bad)}"

        assert why =~ "#{min} to #{max}"
      end
    end
  end

  test "release tooling's config.etf provides the trust settings; explicit options win", %{
    tmp_dir: dir
  } do
    base = F.options(dir)

    etf =
      :erlang.term_to_binary(%{
        format: 1,
        server_url: "https://ota.example.com",
        app: "com.example.test",
        channel_key: base[:channel_key],
        platform: "ios",
        otp_release: "29",
        base_fingerprint: "abc",
        root_keys: base[:root_keys]
      })

    path = Path.join(dir, "config.etf")
    File.write!(path, etf)
    assert {:ok, c} = Config.new(config_file: path, data_dir: dir, otp_release: "28")

    assert c.server_url == "https://ota.example.com" and c.platform == "ios" and
             c.otp_release == "28"

    assert {:ok, %{platform: "ios"}} = Config.new(config_etf: etf, data_dir: dir)

    assert {:error, {:invalid_config, [{:config_file, _} | _]}} =
             Config.new(config_file: Path.join(dir, "missing"), data_dir: dir)

    assert {:error, {:invalid_config, [{:config_etf, _} | _]}} =
             Config.new(config_etf: :erlang.term_to_binary(%{format: 2}), data_dir: dir)
  end
end
