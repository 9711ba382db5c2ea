import { CampaignWizard } from '@/ui/campaigns/campaign-wizard'

export const metadata = { title: 'Edit campaign' }

export default async function EditCampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return <CampaignWizard id={id} />
}
