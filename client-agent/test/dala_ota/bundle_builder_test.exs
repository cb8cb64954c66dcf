defmodule DalaOta.BundleBuilderTest do
  # The Mix task tests switch Mix's shell and set OTA_TOKEN, both global.
  use ExUnit.Case, async: false

  alias DalaOta.{BundleBuilder, BundleFile, Signed}
  alias DalaOta.Test.Beams

  @moduletag :tmp_dir
  @limits %{
    max_envelope_bytes: 4_000_000,
    max_modules: 100,
    max_module_bytes: 4_000_000,
    max_bundle_bytes: 40_000_000
  }

  defp write_beam(dir, name, source_extra \\ "") do
    File.mkdir_p!(dir)
    bytes = Beams.compile("-module('#{name}').\n-export([f/0]).\nf() -> ok.\n#{source_extra}")
    File.write!(Path.join(dir, "#{name}.beam"), bytes)
    bytes
  end

  defp read_back(bundle) do
    {:ok, envelope, modules} =
      BundleFile.read(
        {:binary, bundle},
        @limits,
        fn _ -> :cont end,
        fn n, b, acc -> acc ++ [{n, b}] end,
        []
      )

    {:ok, doc} = Signed.parse(envelope)
    {doc, :erlang.binary_to_term(doc.payload), modules}
  end

  test "a draft: unsigned, canonical, modules stripped and listed in name order", %{tmp_dir: dir} do
    ebin = Path.join(dir, "ebin")
    original = write_beam(ebin, "zeta")
    write_beam(ebin, "alpha")

    assert {:ok, bundle, %{modules: 2}} =
             BundleBuilder.build([ebin], app: "com.example.app", label: "v1", now: 1_780_000_000)

    {doc, manifest, modules} = read_back(bundle)
    assert Signed.unsigned?(doc) and doc.kind == :manifest

    # The server reads drafts with its canonical decoder: the bytes must be the deterministic encoding.
    assert doc.payload == :erlang.term_to_binary(manifest, [:deterministic, {:minor_version, 2}])

    assert %{
             app: "com.example.app",
             sequence: 0,
             label: "v1",
             apply_mode: :hot,
             expires_at: 1_795_552_000
           } = manifest

    assert Enum.map(manifest.modules, & &1.name) == ["alpha", "zeta"]
    assert Enum.map(modules, &elem(&1, 0)) == ["alpha", "zeta"]
    {"zeta", stripped} = List.keyfind(modules, "zeta", 0)
    assert byte_size(stripped) < byte_size(original)
    {:ok, {:zeta, md5}} = :beam_lib.md5(original)
    zeta = Enum.find(manifest.modules, &(&1.name == "zeta"))
    assert zeta.beam_md5 == md5 and zeta.sha256 == :crypto.hash(:sha256, stripped)
    # Stripping keeps attributes, so module_info(attributes) still answers.
    assert {:ok, {:zeta, [attributes: _]}} = :beam_lib.chunks(stripped, [:attributes])
  end

  test "the same code gives the same bytes, whatever the path it was compiled in", %{tmp_dir: dir} do
    write_beam(Path.join(dir, "one"), "same")
    write_beam(Path.join(dir, "two"), "same")
    {:ok, a, _} = BundleBuilder.build([Path.join(dir, "one")], app: "x", label: "v", now: 1)
    {:ok, b, _} = BundleBuilder.build([Path.join(dir, "two")], app: "x", label: "v", now: 1)
    assert a == b
  end

  test "OTP, Elixir and agent modules are refused, and every problem is listed", %{tmp_dir: dir} do
    ebin = Path.join(dir, "ebin")
    write_beam(ebin, "Elixir.DalaOta.Sneaky")
    write_beam(ebin, "dala_ota_crypto")
    File.cp!(:code.which(Enum), Path.join(ebin, "Elixir.Enum.beam"))
    File.cp!(:code.which(:lists), Path.join(ebin, "lists.beam"))
    File.write!(Path.join(ebin, "broken.beam"), "nope")
    File.write!(Path.join(ebin, "renamed.beam"), Beams.compile("-module(other).\n"))

    assert {:error, problems} = BundleBuilder.build([ebin], app: "x", label: "v")

    assert Enum.sort(problems) ==
             Enum.sort([
               {:reserved_module, "Elixir.DalaOta.Sneaky"},
               {:reserved_module, "dala_ota_crypto"},
               {:reserved_module, "Elixir.Enum"},
               {:reserved_module, "lists"},
               {:invalid_beam, Path.join(ebin, "broken.beam")},
               {:module_name_mismatch, Path.join(ebin, "renamed.beam")}
             ])
  end

  test "duplicates across ebin directories, and nothing to bundle", %{tmp_dir: dir} do
    write_beam(Path.join(dir, "a"), "dup")
    write_beam(Path.join(dir, "b"), "dup")

    assert {:error, [{:duplicate_module, _}]} =
             BundleBuilder.build([Path.join(dir, "a"), Path.join(dir, "b")], app: "x", label: "v")

    assert {:error, [{:no_modules, _}]} =
             BundleBuilder.build([Path.join(dir, "empty")], app: "x", label: "v")
  end

  test "mix dala_ota.bundle writes the file", %{tmp_dir: dir} do
    ebin = Path.join(dir, "ebin")
    write_beam(ebin, "task_mod")
    out = Path.join(dir, "out/app.bundle")
    Mix.shell(Mix.Shell.Process)

    Mix.Tasks.DalaOta.Bundle.run([
      "--app",
      "com.example.app",
      "--label",
      "v9",
      "--ebin",
      ebin,
      "--out",
      out,
      "--apply-mode",
      "next_start"
    ])

    assert_received {:mix_shell, :info, ["dala_ota: wrote " <> _]}
    {_doc, manifest, _} = read_back(File.read!(out))
    assert %{label: "v9", apply_mode: :next_start} = manifest

    assert_raise Mix.Error, ~r/--apply-mode must be hot or next_start/, fn ->
      Mix.Tasks.DalaOta.Bundle.run(["--app", "x", "--ebin", ebin, "--apply-mode", "later"])
    end
  after
    Mix.shell(Mix.Shell.IO)
  end

  test "mix dala_ota.publish builds, publishes and deploys, the token from OTA_TOKEN", %{
    tmp_dir: dir
  } do
    ebin = Path.join(dir, "ebin")
    write_beam(ebin, "pub_mod")

    port =
      DalaOta.Test.HttpServer.start(fn
        %{path: "/api/v1/apps/com.example.app/releases"} ->
          DalaOta.Test.HttpServer.response(201, ~s({"sequence":3,"label":"v3"}))

        %{path: "/api/v1/apps/com.example.app/deployments"} ->
          DalaOta.Test.HttpServer.response(201, ~s({"id":"d-9"}))
      end)

    Mix.shell(Mix.Shell.Process)
    System.put_env("OTA_TOKEN", "ota_secret")

    Mix.Tasks.DalaOta.Publish.run(
      ~w(--server http://127.0.0.1:#{port} --app com.example.app --channel beta --rollout 10 --label v3 --ebin #{ebin} --out #{dir}/b.bundle --failure-count 2)
    )

    assert_received {:mix_shell, :info, [message]}

    assert message =~ "published com.example.app sequence 3" and
             message =~ "deployed on beta to 10%"

    assert_received {:http_request,
                     %{path: "/api/v1/apps/com.example.app/releases", body: "DOTABNDL" <> _}}

    assert_received {:http_request, %{body: deploy}}

    assert {:ok,
            %{
              "channel" => "beta",
              "sequence" => 3,
              "rollout" => %{"percent" => 10},
              "failure_threshold" => %{"count" => 2}
            }} = DalaOta.Admin.Json.decode(deploy)
  after
    System.delete_env("OTA_TOKEN")
    Mix.shell(Mix.Shell.IO)
  end
end
