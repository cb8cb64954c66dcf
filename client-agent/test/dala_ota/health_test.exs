defmodule DalaOta.HealthTest do
  use ExUnit.Case, async: true

  alias DalaOta.Health

  @limits %{max_boots: 3, max_early_crashes: 2, health_window: 30}

  defp pending(extra \\ %{}) do
    Map.merge(
      %{
        format: 1,
        sequence: 5,
        label: "v5",
        status: :pending,
        mode: :hot,
        previous: %{sequence: 4, label: "v4"},
        boots: 0,
        early_crashes: 0,
        started_at: nil,
        survived: false,
        installed_at: 0
      },
      extra
    )
  end

  test "a confirmed bundle boots whatever its history" do
    confirmed = pending(%{status: :confirmed, boots: 99, early_crashes: 99, started_at: 1})
    assert Health.at_boot(confirmed, @limits, 100) == {:boot, confirmed}
  end

  test "a staged bundle starts counting at the boot that loads it" do
    assert {:boot, %{boots: 1, early_crashes: 0, started_at: 100, survived: false}} =
             Health.at_boot(pending(), @limits, 100)
  end

  test "a run that died inside the health window counts, and enough of them revert" do
    {:boot, p} = Health.at_boot(pending(), @limits, 100)
    {:boot, p} = Health.at_boot(p, @limits, 110)
    assert p.early_crashes == 1
    assert Health.at_boot(p, @limits, 120) == {:revert, {:early_crashes, 2, 30}}
  end

  test "a run that outlived the window does not count as a crash" do
    {:boot, p} = Health.at_boot(pending(), @limits, 100)
    {:boot, p} = Health.at_boot(Health.survived(p), @limits, 200)
    assert p.early_crashes == 0
  end

  test "a hot-loaded bundle whose app dies early counts from the moment it was loaded" do
    hot = pending(%{started_at: 50})
    assert {:boot, %{early_crashes: 1}} = Health.at_boot(hot, @limits, 60)
  end

  test "never confirmed within max_boots boots" do
    p =
      Enum.reduce(1..3, pending(), fn t, p ->
        {:boot, p} = Health.at_boot(p, @limits, t)
        Health.survived(p)
      end)

    assert p.boots == 3
    assert Health.at_boot(p, @limits, 10) == {:revert, {:not_confirmed, 3}}
  end

  test "confirming makes the rules stop" do
    {:boot, p} = Health.at_boot(pending(), @limits, 1)
    c = Health.confirmed(p)
    assert c.status == :confirmed
    assert Health.at_boot(%{c | boots: 10}, @limits, 2) == {:boot, %{c | boots: 10}}
  end
end
